using System.Collections.Immutable;
using Relais.Protocol;

namespace Relais.Engine.Tests;

public sealed class AttemptPairsTests
{
    private static JobState Job(string name, int attempt = 1, bool retried = false) => new() { Name = name, Attempt = attempt, Retried = retried };

    [Fact]
    public void The_same_attempts_pair_by_position_and_a_changed_one_with_its_old_state()
    {
        var a = Job("a");
        var b = Job("b");
        ImmutableArray<JobState> before = [a, b];
        var b2 = b with { Status = CiStatus.Running };

        var pairs = AttemptPairs.Of(before, [a, b2]).ToList();

        Assert.Equal([(a, a), (b, b2)], pairs.Select(p => (p.Before!, p.After)).ToList());
    }

    [Fact]
    public void An_added_attempt_has_no_state_before_and_the_others_still_find_theirs()
    {
        var a = Job("a");
        var b = Job("b");
        var retried = b with { Retried = true };
        var fresh = Job("b", attempt: 2);

        var pairs = AttemptPairs.Of([a, b], [a, retried, fresh]).ToList();

        Assert.Equal(3, pairs.Count);
        Assert.Same(a, pairs[0].Before);
        Assert.Same(b, pairs[1].Before);
        Assert.Null(pairs[2].Before);
        Assert.DoesNotContain(AttemptPairs.Of([], [a]), p => p.Before is not null);
    }
}
