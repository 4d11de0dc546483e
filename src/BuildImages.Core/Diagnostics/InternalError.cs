namespace BuildImages.Core.Diagnostics;

/// <summary>
/// The text of an error that is BuildImages' fault rather than the input's: a runtime message alone
/// ("Specified argument was out of the range of valid values") tells the user nothing, so it is framed.
/// </summary>
public static class InternalError
{
    public static string Describe(Exception ex, string doing)
    {
        var inner = ex is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : ex;
        var first = inner.Message.Split('\n')[0].TrimEnd('\r');
        return $"internal error while {doing} ({inner.GetType().Name}: {first}); this is a bug in BuildImages, please report it with the input that caused it";
    }
}
