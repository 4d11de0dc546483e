using System.Globalization;
using System.Net;
using System.Text;

namespace BuildImages.Tool;

/// <summary>
/// The preview page: each card at its real size, and cropped the way link previews show it (Facebook and
/// LinkedIn 1.91:1, X large card 2:1 with rounded corners, Slack's small unfurl).
/// </summary>
internal static class ContactSheet
{
    internal sealed record Entry(string Job, string Item, string? File, int Width, int Height, string? Alt, string? Error);

    internal static string Html(IReadOnlyList<Entry> entries, string host, bool watching)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
        var sb = new StringBuilder();
        sb.Append(
            """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>BuildImages preview</title>
            """);
        if (watching)
        {
            sb.Append("<meta http-equiv=\"refresh\" content=\"2\">");
        }
        sb.Append(
            """
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;background:#f1f5f9;color:#0f172a}
            h1{font-size:20px} h2{font-size:16px;margin:32px 0 8px}
            .real{display:block;max-width:none;box-shadow:0 1px 4px #0003}
            .mocks{display:flex;flex-wrap:wrap;gap:24px;margin-top:16px;align-items:flex-start}
            .mock{background:#fff;border:1px solid #dbe1e8;font-size:13px}
            .mock img{display:block;width:100%;object-fit:cover;object-position:center}
            .mock .meta{padding:8px 12px} .mock .host{color:#64748b;text-transform:uppercase;font-size:11px}
            .fb{width:500px} .fb img{aspect-ratio:1.91/1}
            .x{width:506px;border-radius:16px;overflow:hidden} .x img{aspect-ratio:2/1}
            .li{width:552px} .li img{aspect-ratio:1.91/1}
            .slack{width:360px;border:0;border-left:4px solid #cbd5e1;padding-left:12px;background:transparent} .slack img{border-radius:8px;max-height:200px;object-fit:contain;object-position:left}
            .label{font-size:11px;color:#64748b;margin-bottom:4px}
            .error{color:#b91c1c;white-space:pre-wrap;font-family:monospace}
            </style></head><body>
            <h1>BuildImages preview</h1>
            """);
        foreach (var e in entries)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<section><h2>{E(e.Job)} / {E(e.Item)} <small>{e.Width}×{e.Height}</small></h2>");
            if (e.File is null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<p class=\"error\">{E(e.Error)}</p></section>");
                continue;
            }
            var src = E(string.Join('/', e.File.Split('/').Select(Uri.EscapeDataString)));
            var title = E(e.Alt ?? e.Item);
            sb.Append(CultureInfo.InvariantCulture, $"<img class=\"real\" src=\"{src}\" width=\"{e.Width}\" height=\"{e.Height}\" alt=\"{title}\">");
            sb.Append("<div class=\"mocks\">");
            sb.Append(CultureInfo.InvariantCulture, $"<div><div class=\"label\">Facebook</div><div class=\"mock fb\"><img src=\"{src}\" alt=\"\"><div class=\"meta\"><div class=\"host\">{E(host)}</div><b>{title}</b></div></div></div>");
            sb.Append(CultureInfo.InvariantCulture, $"<div><div class=\"label\">X (large card)</div><div class=\"mock x\"><img src=\"{src}\" alt=\"\"></div><div class=\"label\">From {E(host)}</div></div>");
            sb.Append(CultureInfo.InvariantCulture, $"<div><div class=\"label\">LinkedIn</div><div class=\"mock li\"><img src=\"{src}\" alt=\"\"><div class=\"meta\"><b>{title}</b><div class=\"host\">{E(host)}</div></div></div></div>");
            sb.Append(CultureInfo.InvariantCulture, $"<div><div class=\"label\">Slack</div><div class=\"mock slack\"><b>{E(host)}</b><div>{title}</div><img src=\"{src}\" alt=\"\"></div></div>");
            sb.Append("</div></section>");
        }
        sb.Append(
            """
            <script>
            addEventListener('load', () => {
              const imgs = [...document.images];
              document.body.dataset.images = imgs.length;
              document.body.dataset.loaded = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
            });
            </script>
            </body></html>
            """);
        return sb.ToString();
    }
}
