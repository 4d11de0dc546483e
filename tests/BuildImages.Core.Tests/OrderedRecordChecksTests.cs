using System.Text;
using System.Text.Json;
using BuildImages.Core.Manifest;

namespace BuildImages.Core.Tests;

public sealed class OrderedRecordChecksTests
{
    [Fact]
    public void RecordsAreHandedOnCheckedInTheOrderAddedOnTheAddingThread()
    {
        var adding = Environment.CurrentManagedThreadId;
        var count = OrderedRecordChecks<string>.InlineRecords + 3000;
        var checkThreads = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var taken = new List<(string Key, string Checked, int Thread)>();
        using (var checks = new OrderedRecordChecks<string>(
            (key, bytes) =>
            {
                checkThreads[key] = Environment.CurrentManagedThreadId;
                // Uneven work, so later batches often finish before earlier ones.
                if (key.EndsWith('7'))
                {
                    Thread.SpinWait(20_000);
                }
                return key + "=" + Encoding.UTF8.GetString(bytes).ToUpperInvariant();
            },
            (key, value) => taken.Add((key, value, Environment.CurrentManagedThreadId))))
        {
            for (var i = 0; i < count; i++)
            {
                checks.Add($"k{i:D5}", Encoding.UTF8.GetBytes($"v{i}"));
            }
            checks.Finish();
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"k{i:D5}"), taken.Select(t => t.Key));
        Assert.All(taken, t => Assert.Equal($"{t.Key}=V{int.Parse(t.Key[1..], System.Globalization.CultureInfo.InvariantCulture)}", t.Checked));
        Assert.All(taken, t => Assert.Equal(adding, t.Thread));
        // The first records were checked on the adding thread, the rest on threads of the checks' own.
        Assert.All(taken.Take(OrderedRecordChecks<string>.InlineRecords), t => Assert.Equal(adding, checkThreads[t.Key]));
        Assert.All(taken.Skip(OrderedRecordChecks<string>.InlineRecords), t => Assert.NotEqual(adding, checkThreads[t.Key]));
    }

    [Fact]
    public void BytesAreCopiedBeforeTheReadersBufferMovesOn()
    {
        var taken = new List<string>();
        var buffer = new byte[4];
        using (var checks = new OrderedRecordChecks<string>((_, bytes) => Encoding.ASCII.GetString(bytes), (_, value) => taken.Add(value)))
        {
            for (var i = 0; i < OrderedRecordChecks<string>.InlineRecords + 300; i++)
            {
                Encoding.ASCII.GetBytes($"{i % 10000:D4}", buffer);
                checks.Add("k", buffer);
            }
            checks.Finish();
        }

        Assert.Equal(Enumerable.Range(0, OrderedRecordChecks<string>.InlineRecords + 300).Select(i => $"{i % 10000:D4}"), taken);
    }

    [Fact]
    public void ACheckThatFailsThrowsItsOwnExceptionAndLaterRecordsAreNotHandedOn()
    {
        var taken = new List<string>();
        var checks = new OrderedRecordChecks<string>(
            (key, _) => key == Failing ? throw new JsonException("bad record") : key,
            (key, _) => taken.Add(key));
        var thrown = Assert.Throws<JsonException>(() =>
        {
            for (var i = 0; i < OrderedRecordChecks<string>.InlineRecords + 1000; i++)
            {
                checks.Add($"k{i:D5}", [1]);
            }
            checks.Finish();
        });
        checks.Dispose();

        Assert.Equal("bad record", thrown.Message);
        // Everything before the failed record, in order, and nothing after it.
        Assert.Equal(Enumerable.Range(0, taken.Count).Select(i => $"k{i:D5}"), taken);
        Assert.InRange(taken.Count, OrderedRecordChecks<string>.InlineRecords, FailingAt - 1);
    }

    private const int FailingAt = OrderedRecordChecks<string>.InlineRecords + 500;

    private static readonly string Failing = $"k{FailingAt:D5}";
}
