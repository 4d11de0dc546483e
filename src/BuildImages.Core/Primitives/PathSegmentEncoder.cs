namespace BuildImages.Core.Primitives;

/// <summary>
/// What a value substituted into an output pattern may contribute to a file name: separators, control characters
/// and <c>&lt;&gt;:"|?*</c> become '-', so a value can never add a folder or an unsafe character (unless the pattern
/// asks for folders, and then each segment is checked).
/// </summary>
internal static class PathSegmentEncoder
{
    internal static char Safe(char ch) => ch is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(ch) ? '-' : ch;
}
