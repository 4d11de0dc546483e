using BuildImages.Core.Templates;

namespace BuildImages.Core.Tests;

/// <summary>
/// Output and alt patterns of text and field names are expanded without Scriban; whatever the values, the result is
/// what Scriban writes, and anything else about a pattern or an item still goes through Scriban.
/// </summary>
public sealed class PatternSubstitutionTests
{
    [Theory]
    [InlineData("og/{{ slug }}", true)]
    [InlineData("{{slug}}", true)]
    [InlineData("cards/{{ lang }}/{{\tslug\n}}-x", true)]
    [InlineData("plain text only", true)]
    [InlineData("og/{{ slug | string.downcase }}", false)]
    [InlineData("og/{{ folders path }}", false)]
    [InlineData("og/{{{ path }}}", false)]
    [InlineData("og/{{~ slug ~}}", false)]
    [InlineData("og/{{ true }}", false)]
    [InlineData("og/{{ this }}", false)]
    [InlineData("og/{{ upper }}", false)]
    [InlineData("og/{{ default }}", false)]
    [InlineData("og/{ {{ slug }} }", false)]
    [InlineData("og/{{ item.slug }}", false)]
    public void OnlyTextAndFieldNamesAreSubstituted(string pattern, bool simple)
    {
        Assert.Equal(simple, Compile(pattern, isPath: true).IsSimple);
    }

    [Fact]
    public void SubstitutionWritesWhatScribanWritesForAnyValue()
    {
        var random = new Random(11);
        // Separators, characters a path segment may not hold, controls, invisible characters, a surrogate pair, combining marks.
        const string alphabet = "aZ09 -_./\\:*?\"<>|\t\n\u0000\u0001\u007f\u00ad\u200b\u200d\u202e\ufeffé\u0301日😀{}%$";
        var patterns = new[] { "og/{{ slug }}", "{{ a }}-{{ b }}.x", "x/{{ title }}/{{ slug }}", "{{date}}" };
        var checkedSimple = 0;
        foreach (var pattern in patterns)
        {
            foreach (var isPath in new[] { true, false })
            {
                var compiled = Compile(pattern, isPath);
                Assert.True(compiled.IsSimple, pattern);
                for (var n = 0; n < 400; n++)
                {
                    var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var name in new[] { "slug", "a", "b", "title", "date" })
                    {
                        fields[name] = new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
                    }
                    Assert.Equal(compiled.ExpandThroughScriban(fields), compiled.Expand(fields));
                    checkedSimple++;
                }
            }
        }
        Assert.Equal(patterns.Length * 2 * 400, checkedSimple);
    }

    [Fact]
    public void AFieldThatIsMissingOrNotAStringIsLeftToScriban()
    {
        var compiled = Compile("og/{{ slug }}-{{ date }}", isPath: true);
        // A field named like a helper: Scriban finds the helper (the substitution is not used for such a pattern).
        var helperNamed = Compile("og/{{ upper }}", isPath: true);
        var fieldNamedUpper = new Dictionary<string, object?> { ["upper"] = "field" };
        Assert.False(helperNamed.IsSimple);
        Assert.Equal(Outcome(() => helperNamed.ExpandThroughScriban(fieldNamedUpper)), Outcome(() => helperNamed.Expand(fieldNamedUpper)));
        var cases = new[]
        {
            new Dictionary<string, object?> { ["slug"] = "a" },
            new Dictionary<string, object?> { ["slug"] = 42L, ["date"] = "d" },
            new Dictionary<string, object?> { ["slug"] = 1.5, ["date"] = true },
            new Dictionary<string, object?> { ["slug"] = null, ["date"] = new List<object?> { "x", "y" } },
            new Dictionary<string, object?> { ["slug"] = new string('x', 5000), ["date"] = "d" },
        };
        foreach (var fields in cases)
        {
            Assert.Equal(Outcome(() => Limit(compiled.ExpandThroughScriban(fields))), Outcome(() => compiled.Expand(fields)));
        }
    }

    private static string Outcome(Func<string> expand)
    {
        try
        {
            return expand();
        }
        catch (Scriban.Syntax.ScriptRuntimeException ex)
        {
            return "error: " + ex.OriginalMessage;
        }
    }

    private static string Limit(string text) =>
        text.Length > 4096 ? throw new Scriban.Syntax.ScriptRuntimeException(default, "the pattern expanded to more than 4096 characters") : text;

    private static PatternTemplate Compile(string pattern, bool isPath) =>
        PatternTemplate.Compile(pattern, isPath ? "output" : "alt", isPath, "buildimages.json", 1, 1, TimeZoneInfo.Utc);
}
