using System.Text;
using HandlebarsDotNet;

namespace BuildImages.Core.Planning;

/// <summary>
/// Encodes values substituted into output patterns so a value can never add a folder or an unsafe
/// character: separators, control characters and <c>&lt;&gt;:"|?*</c> become '-'. A pattern that wants a
/// value to make folders says so with triple braces (<c>{{{path}}}</c>), and is then checked segment by segment.
/// Invisible characters (bidi controls, zero-width spaces and joiners) are dropped: they would disguise the name.
/// </summary>
internal sealed class PathSegmentEncoder : ITextEncoder
{
    public void Encode(StringBuilder? text, TextWriter target) => Encode(text?.ToString(), target);

    public void Encode(string? text, TextWriter target)
    {
        foreach (var ch in text ?? string.Empty)
        {
            Write(ch, target);
        }
    }

    public void Encode<T>(T? text, TextWriter target) where T : IEnumerator<char>
    {
        while (text is not null && text.MoveNext())
        {
            Write(text.Current, target);
        }
    }

    private static void Write(char ch, TextWriter target)
    {
        if (!OutputPathRules.IsInvisible(ch))
        {
            target.Write(Safe(ch));
        }
    }

    private static char Safe(char ch) => ch is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(ch) ? '-' : ch;
}
