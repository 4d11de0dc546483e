using BuildImages.Core.Build;
using BuildImages.Core.Manifest;
using BuildImages.Core.Planning;

namespace BuildImages.Core.Tests;

/// <summary>
/// The check's work list (<see cref="WorkList"/>): a reference per planned item, the work made when a worker takes it,
/// and cards equal in everything grouped by the check (<see cref="OutputCheck.EqualCards"/>) so the first of each group
/// renders and the rest copy it.
/// </summary>
public sealed class WorkListTests
{
    private static readonly RenderReason New = new(RenderReasonKind.NewItem, "new item");

    [Fact]
    public void EqualClaimsGroupUnderTheFirstInPlanOrderAndZeroMeansNoWork()
    {
        UInt128[] claims = [5, 0, 7, 5, 7, 5, 9];
        Assert.Equal([-1, 0, -1, 1, 3, 1, 0], OutputCheck.EqualCards(claims)!);
        Assert.Null(OutputCheck.EqualCards([1, 2, 0, 3]));
        Assert.Null(OutputCheck.EqualCards([]));
    }

    [Fact]
    public void AFirstTakenAfterItsEqualIsTheVeryWorkTheEqualCopies()
    {
        // Item 1 has no work; 2 is equal to 0 and is taken first, as a second worker may do.
        object?[] needed = [New, null, New, New];
        var list = new WorkList(Array.Empty<PlannedItem>(), needed, count: 3, neededOutputs: 9, drawsCards: true, equal: [-1, 0, 1, 0]);

        var equal = list.Take(2)!;
        var first = list.Take(0)!;

        Assert.Same(first, equal.EqualTo);
        Assert.Null(first.EqualTo);
        Assert.Null(list.Take(1));
        Assert.Null(list.Take(3)!.EqualTo);
        Assert.Equal([0, 2, 3], list.TakeAll().Select(w => w.PlanIndex));
    }
}
