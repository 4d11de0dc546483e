using BuildImages.Core.Markup;

namespace BuildImages.Core.Layout;

/// <summary>
/// Lays out card markup: absolute boxes (x/y) and flow stacks (row/column with gap, padding, align,
/// justify and grow), a subset of CSS flexbox. Text is set by our paragraph layout at its final width, so a
/// subtitle sits under a title whatever the title's line count.
/// </summary>
internal sealed class CardLayout(ILayoutServices services)
{
    /// <summary>Lays out the whole card at its declared size.</summary>
    internal LayoutBox LayoutCard(CardRootNode card) =>
        LayoutContainer(card, card.CardWidth, card.CardHeight, card.CardWidth, card.CardHeight, TextStyle.Defaults);

    private LayoutBox LayoutNode(CardNode node, double? width, double? height, double maxWidth, double maxHeight, TextStyle inherited) => node switch
    {
        ContainerNode c => LayoutContainer(c, width, height, maxWidth, maxHeight, inherited),
        TextNode t => LayoutText(t, width, height, maxWidth, maxHeight, inherited),
        ImageNode i => LayoutImage(i, width, height, maxWidth, maxHeight),
        _ => new LayoutBox(node, width ?? 0, height ?? 0),
    };

    private LayoutBox LayoutContainer(ContainerNode node, double? width, double? height, double maxWidth, double maxHeight, TextStyle inherited)
    {
        var style = node.Text.Over(inherited);
        if (style.Direction == WritingDirection.Auto)
        {
            // Resolved here so the children inherit the answer, as HTML's dir="auto" does.
            style = style with { Direction = TextDirection.Of(node) };
        }
        var pad = node.Padding;
        var contentMaxW = Math.Max(0, (width ?? maxWidth) - pad.Horizontal);
        var contentMaxH = Math.Max(0, (height ?? maxHeight) - pad.Vertical);
        var flow = node.Children.Where(c => !c.IsAbsolute).ToList();
        var row = node.Direction == StackDirection.Row;

        var boxes = row
            ? LayoutRow(node, flow, width is null ? null : contentMaxW, height is null ? null : contentMaxH, contentMaxW, contentMaxH, style)
            : LayoutColumn(node, flow, width is null ? null : contentMaxW, height is null ? null : contentMaxH, contentMaxW, contentMaxH, style);

        var mainUsed = boxes.Sum(b => row ? b.Width : b.Height) + (node.Gap * Math.Max(0, boxes.Count - 1));
        var crossUsed = boxes.Count == 0 ? 0 : boxes.Max(b => row ? b.Height : b.Width);
        var finalW = width ?? Math.Min(maxWidth, (row ? mainUsed : crossUsed) + pad.Horizontal);
        var finalH = height ?? Math.Min(maxHeight, (row ? crossUsed : mainUsed) + pad.Vertical);
        var contentW = Math.Max(0, finalW - pad.Horizontal);
        var contentH = Math.Max(0, finalH - pad.Vertical);

        // Stretch children to a cross size that was only known after measuring them.
        if (node.Align == CrossAlign.Stretch && (row ? height is null : width is null))
        {
            for (var i = 0; i < boxes.Count; i++)
            {
                var child = flow[i];
                var crossGiven = row ? child.Height : child.Width;
                var current = row ? boxes[i].Height : boxes[i].Width;
                var target = row ? contentH : contentW;
                if (crossGiven is null && Math.Abs(current - target) > 0.01)
                {
                    boxes[i] = row
                        ? LayoutNode(child, boxes[i].Width, target, boxes[i].Width, target, style)
                        : LayoutNode(child, target, boxes[i].Height, target, boxes[i].Height, style);
                }
            }
        }

        var box = new LayoutBox(node, finalW, finalH);
        Place(node, boxes, contentW, contentH, mainUsed);
        if (row && style.Direction == WritingDirection.Rtl)
        {
            // A right-to-left row: main start is the right edge, so the logo of an Arabic card sits on the right.
            foreach (var b in boxes)
            {
                b.X = pad.Left + contentW - (b.X - pad.Left) - b.Width;
            }
        }
        box.Children.AddRange(boxes);
        foreach (var child in node.Children.Where(c => c.IsAbsolute))
        {
            box.Children.Add(LayoutAbsolute(child, pad, contentW, contentH, style));
        }
        // Keep markup order for painting (later siblings draw on top).
        box.Children.Sort((a, b) => IndexOf(node, a.Node).CompareTo(IndexOf(node, b.Node)));
        return box;
    }

    private static int IndexOf(ContainerNode parent, CardNode child)
    {
        for (var i = 0; i < parent.Children.Count; i++)
        {
            if (ReferenceEquals(parent.Children[i], child))
            {
                return i;
            }
        }
        return -1;
    }

    private LayoutBox LayoutAbsolute(CardNode child, Thickness pad, double contentW, double contentH, TextStyle style)
    {
        var x = child.X?.Resolve(contentW) ?? 0;
        var y = child.Y?.Resolve(contentH) ?? 0;
        var w = child.Width?.Resolve(contentW);
        var h = child.Height?.Resolve(contentH);
        var laid = LayoutNode(child, w, h, Math.Max(0, w ?? (contentW - x)), Math.Max(0, h ?? (contentH - y)), style);
        laid.X = pad.Left + x;
        laid.Y = pad.Top + y;
        return laid;
    }

    private List<LayoutBox> LayoutColumn(ContainerNode node, List<CardNode> flow, double? contentW, double? contentH, double maxW, double maxH, TextStyle style)
    {
        var boxes = new LayoutBox?[flow.Count];
        var gaps = node.Gap * Math.Max(0, flow.Count - 1);
        double? Cross(CardNode c) => c.Width?.Resolve(maxW) ?? (node.Align == CrossAlign.Stretch ? contentW : null);

        // Fixed children first, then shrink-to-fit text in what is left, then grow children share the rest.
        var used = gaps;
        for (var i = 0; i < flow.Count; i++)
        {
            var c = flow[i];
            if (c.Grow > 0 || IsShrinkText(c))
            {
                continue;
            }
            boxes[i] = LayoutNode(c, Cross(c), c.Height?.Resolve(maxH), maxW, Math.Max(0, maxH - used), style);
            used += boxes[i]!.Height;
        }
        var shrinkCount = flow.Count(c => c.Grow <= 0 && IsShrinkText(c));
        var shrinkBudget = Math.Max(0, maxH - used);
        for (var i = 0; i < flow.Count; i++)
        {
            var c = flow[i];
            if (c.Grow <= 0 && IsShrinkText(c))
            {
                boxes[i] = LayoutNode(c, Cross(c), c.Height?.Resolve(maxH), maxW, shrinkBudget / shrinkCount, style);
                used += boxes[i]!.Height;
            }
        }
        LayoutGrow(flow, boxes, contentH is null ? 0 : Math.Max(0, contentH.Value - used), row: false, c => Cross(c), maxW, style);
        return boxes.Select(b => b!).ToList();
    }

    private List<LayoutBox> LayoutRow(ContainerNode node, List<CardNode> flow, double? contentW, double? contentH, double maxW, double maxH, TextStyle style)
    {
        var boxes = new LayoutBox?[flow.Count];
        var used = node.Gap * Math.Max(0, flow.Count - 1);
        double? Cross(CardNode c) => c.Height?.Resolve(maxH) ?? (node.Align == CrossAlign.Stretch ? contentH : null);
        for (var i = 0; i < flow.Count; i++)
        {
            var c = flow[i];
            if (c.Grow > 0)
            {
                continue;
            }
            boxes[i] = LayoutNode(c, c.Width?.Resolve(maxW), Cross(c), Math.Max(0, maxW - used), maxH, style);
            used += boxes[i]!.Width;
        }
        var free = contentW is null ? Math.Max(0, maxW - used) : Math.Max(0, contentW.Value - used);
        if (contentW is null && flow.Any(c => c.Grow > 0))
        {
            // A row of unknown width still lets grow children take the room it may use.
            free = Math.Max(0, maxW - used);
        }
        LayoutGrow(flow, boxes, free, row: true, c => Cross(c), maxH, style);
        return boxes.Select(b => b!).ToList();
    }

    private void LayoutGrow(List<CardNode> flow, LayoutBox?[] boxes, double free, bool row, Func<CardNode, double?> cross, double crossMax, TextStyle style)
    {
        var totalGrow = flow.Where(c => c.Grow > 0).Sum(c => c.Grow);
        for (var i = 0; i < flow.Count; i++)
        {
            var c = flow[i];
            if (c.Grow <= 0)
            {
                continue;
            }
            var main = free * c.Grow / totalGrow;
            boxes[i] = row
                ? LayoutNode(c, main, cross(c), main, crossMax, style)
                : LayoutNode(c, cross(c), main, crossMax, main, style);
        }
    }

    private static void Place(ContainerNode node, List<LayoutBox> boxes, double contentW, double contentH, double mainUsed)
    {
        var row = node.Direction == StackDirection.Row;
        var free = Math.Max(0, (row ? contentW : contentH) - mainUsed);
        var n = boxes.Count;
        var (start, between) = node.Justify switch
        {
            MainJustify.Center => (free / 2, 0.0),
            MainJustify.End => (free, 0.0),
            MainJustify.SpaceBetween => (0.0, n > 1 ? free / (n - 1) : 0),
            MainJustify.SpaceAround => (n > 0 ? free / n / 2 : 0, n > 0 ? free / n : 0),
            MainJustify.SpaceEvenly => (free / (n + 1), free / (n + 1)),
            _ => (0.0, 0.0),
        };
        var pos = start;
        foreach (var b in boxes)
        {
            var crossSpace = (row ? contentH : contentW) - (row ? b.Height : b.Width);
            var crossOffset = node.Align switch
            {
                CrossAlign.Center => crossSpace / 2,
                CrossAlign.End => crossSpace,
                _ => 0,
            };
            if (row)
            {
                b.X = node.Padding.Left + pos;
                b.Y = node.Padding.Top + crossOffset;
                pos += b.Width + node.Gap + between;
            }
            else
            {
                b.X = node.Padding.Left + crossOffset;
                b.Y = node.Padding.Top + pos;
                pos += b.Height + node.Gap + between;
            }
        }
    }

    private static bool IsShrinkText(CardNode node) => node is TextNode { MinSize: not null };

    private LayoutBox LayoutText(TextNode node, double? width, double? height, double maxWidth, double maxHeight, TextStyle inherited)
    {
        var style = node.Text.Over(inherited);
        var pad = node.Padding;
        var size = style.Size ?? 32;
        var maxInner = Math.Max(1, maxWidth - pad.Horizontal);
        var natural = width is null ? services.NaturalWidth(node, style, size) : 0;
        // Text that fits on its natural lines is not wrapped at all (wrapping at exactly its own width can
        // break before trailing letter spacing); wider text wraps at the room it has.
        var noWrap = width is null && node.MinSize is null && natural <= maxInner;
        var innerW = width is { } w ? Math.Max(1, w - pad.Horizontal) : Math.Min(maxInner, Math.Max(1, natural));
        // Text never grows past its box: an explicit or allotted height, else the room the parent has.
        var heightLimit = Math.Max(0, (height ?? maxHeight) - pad.Vertical);
        var shaped = node.MinSize is { } min
            ? ShrinkToFit(node, style, Math.Min(min, size), size, innerW, heightLimit)
            : services.Shape(node, style, size, noWrap ? null : innerW, node.MaxLines, heightLimit);
        if (width is null && node.MinSize is null)
        {
            innerW = Math.Min(innerW, Math.Max(shaped.Width, 1));
        }
        var boxW = width ?? innerW + pad.Horizontal;
        var boxH = height ?? shaped.Height + pad.Vertical;
        var innerH = boxH - pad.Vertical;
        var dy = node.VAlign switch
        {
            VerticalAlign.Middle => (innerH - shaped.Height) / 2,
            VerticalAlign.Bottom => innerH - shaped.Height,
            _ => 0,
        };
        return new LayoutBox(node, boxW, boxH)
        {
            Text = shaped,
            TextX = pad.Left,
            TextY = pad.Top + Math.Max(0, dy),
        };
    }

    /// <summary>The largest size in [min, max] (to 0.25 px) at which the text fits its box without an ellipsis.</summary>
    private Text.TextBlock ShrinkToFit(TextNode node, TextStyle style, double min, double max, double width, double heightLimit)
    {
        bool Fits(Text.TextBlock s) => !s.Ellipsized && s.Height <= heightLimit + 0.5 && (node.MaxLines is null || s.LineCount <= node.MaxLines);
        var best = services.Shape(node, style, max, width, node.MaxLines, heightLimit);
        if (Fits(best))
        {
            return best;
        }
        var smallest = services.Shape(node, style, min, width, node.MaxLines, heightLimit);
        if (!Fits(smallest))
        {
            return smallest;
        }
        var (lo, hi) = (min, max);
        while (hi - lo > 0.25)
        {
            var mid = (lo + hi) / 2;
            var attempt = services.Shape(node, style, mid, width, node.MaxLines, heightLimit);
            if (Fits(attempt))
            {
                smallest = attempt;
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return smallest;
    }

    private LayoutBox LayoutImage(ImageNode node, double? width, double? height, double maxWidth, double maxHeight)
    {
        var image = services.Image(node);
        var aspect = image.Width / Math.Max(1e-6, image.Height);
        double w, h;
        if (width is { } fw && height is { } fh)
        {
            (w, h) = (fw, fh);
        }
        else if (width is { } only)
        {
            (w, h) = (only, only / aspect);
        }
        else if (height is { } onlyH)
        {
            (w, h) = (onlyH * aspect, onlyH);
        }
        else
        {
            var s = Math.Min(1, Math.Min(maxWidth / image.Width, maxHeight / image.Height));
            (w, h) = (image.Width * s, image.Height * s);
        }
        return new LayoutBox(node, w, h) { Image = image };
    }
}
