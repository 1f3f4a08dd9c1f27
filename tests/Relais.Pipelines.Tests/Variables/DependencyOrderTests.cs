using Relais.Pipelines.Variables;

namespace Relais.Pipelines.Tests.Variables;

public sealed class DependencyOrderTests
{
    [Fact]
    public void Dependencies_come_first_in_depth_first_order()
    {
        // 0 -> 2, 1 -> (nothing), 2 -> 1
        var components = DependencyOrder.StronglyConnected([[2], [], [1]]);
        Assert.Equal([[1], [2], [0]], components);
    }

    [Fact]
    public void Cycles_and_self_loops()
    {
        var components = DependencyOrder.StronglyConnected([[1], [0], [2]]);
        Assert.Equal(2, components.Count);
        Assert.Equal([0, 1], components[0]);
        Assert.Equal([2], components[1]);
    }
}
