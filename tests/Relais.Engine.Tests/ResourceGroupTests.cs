using Relais.Engine.Tests.Support;

namespace Relais.Engine.Tests;

public class ResourceGroupTests
{
    /// <summary>Events: <c>up P:J</c> (upcoming), <c>ready P:J</c>, <c>release P:J</c>; the grants made, in order.</summary>
    [Theory]
    [InlineData(ResourceProcessMode.Unordered, "ready 2:d; ready 1:d; release 2:d", "2:d 1:d")]
    [InlineData(ResourceProcessMode.Unordered, "up 1:d; ready 2:d", "2:d")]
    [InlineData(ResourceProcessMode.Unordered, "ready 1:d; ready 2:d", "1:d")]
    [InlineData(ResourceProcessMode.OldestFirst, "up 1:d; ready 2:d", "")]
    [InlineData(ResourceProcessMode.OldestFirst, "up 1:d; ready 2:d; ready 1:d; release 1:d", "1:d 2:d")]
    [InlineData(ResourceProcessMode.OldestFirst, "up 1:d; ready 2:d; release 1:d", "2:d")]
    [InlineData(ResourceProcessMode.OldestFirst, "up 1:a; ready 1:b; up 2:d", "1:b")]
    [InlineData(ResourceProcessMode.NewestFirst, "up 2:d; ready 1:d", "")]
    [InlineData(ResourceProcessMode.NewestFirst, "up 2:d; ready 1:d; ready 2:d; release 2:d", "2:d 1:d")]
    [InlineData(ResourceProcessMode.NewestReadyFirst, "up 2:d; ready 1:d", "1:d")]
    [InlineData(ResourceProcessMode.NewestReadyFirst, "ready 3:d; ready 1:d; ready 2:d; release 3:d", "3:d 2:d")]
    [InlineData(ResourceProcessMode.Unordered, "ready 1:d; release 1:d; release 1:d; ready 2:d", "1:d 2:d")]
    public void Ordering(ResourceProcessMode mode, string script, string grants)
    {
        var state = new ResourceGroupState { Key = "prod", Mode = mode };
        var made = new List<string>();
        foreach (var action in script.Split(';', StringSplitOptions.TrimEntries))
        {
            var (verb, who) = (action.Split(' ')[0], action.Split(' ')[1].Split(':'));
            var claimant = new ResourceClaimant(long.Parse(who[0], System.Globalization.CultureInfo.InvariantCulture), who[1], 1);
            ResourceGroupEvent e = verb switch
            {
                "up" => new ResourceClaimUpcoming(claimant),
                "ready" => new ResourceClaimReady(claimant),
                _ => new ResourceClaimReleased(claimant),
            };
            var step = ResourceGroupMachine.Apply(state, e);
            state = step.State;
            made.AddRange(step.Granted.Select(g => $"{g.PipelineId}:{g.Job}"));
        }

        Assert.Equal(grants, string.Join(' ', made));
    }

    [Fact]
    public void A_job_with_a_resource_group_waits_for_it()
    {
        var run = Scenario.Check("deploy@deploy rg=prod", "", "deploy=waiting_for_resource", "waiting_for_resource");
        Assert.Contains(new RequestResource("prod", "deploy", 1), run.Effects);

        run.Do("grant deploy; ok deploy");

        Assert.Equal("deploy=success", run.Jobs());
        Assert.Contains(new ReleaseResource("prod", "deploy", 1), run.Effects);
    }

    [Fact]
    public void One_job_at_a_time_across_pipelines()
    {
        var project = new Project();
        var first = project.Create(1, "deploy@deploy rg=prod");
        var second = project.Create(2, "deploy@deploy rg=prod");

        Assert.Equal("deploy=pending", first.Jobs());
        Assert.Equal("deploy=waiting_for_resource", second.Jobs());

        first.Succeed("deploy");

        Assert.Equal("deploy=pending", second.Jobs());
        Assert.Equal(["1:deploy", "2:deploy"], project.Grants);
    }

    [Fact]
    public void Oldest_first_keeps_a_newer_pipeline_from_overtaking()
    {
        var project = new Project(ResourceProcessMode.OldestFirst);
        var older = project.Create(1, "build@build; deploy@deploy rg=prod");
        var newer = project.Create(2, "build@build; deploy@deploy rg=prod");

        newer.Succeed("build");
        Assert.Equal("build=success deploy=waiting_for_resource", newer.Jobs());

        older.Succeed("build");
        Assert.Equal("build=success deploy=pending", older.Jobs());

        older.Succeed("deploy");
        Assert.Equal(["1:deploy", "2:deploy"], project.Grants);
    }

    [Fact]
    public void Unordered_lets_the_first_ready_job_go()
    {
        var project = new Project(ResourceProcessMode.Unordered);
        var older = project.Create(1, "build@build; deploy@deploy rg=prod");
        var newer = project.Create(2, "build@build; deploy@deploy rg=prod");

        newer.Succeed("build");

        Assert.Equal("build=success deploy=pending", newer.Jobs());
        Assert.Equal("build=pending deploy=created", older.Jobs());
    }

    [Fact]
    public void A_skipped_or_canceled_claim_frees_the_way()
    {
        var project = new Project(ResourceProcessMode.OldestFirst);
        var older = project.Create(1, "build@build; deploy@deploy rg=prod");
        var newer = project.Create(2, "build@build; deploy@deploy rg=prod");
        newer.Succeed("build");

        older.Fail("build");

        Assert.Equal("build=failed deploy=skipped", older.Jobs());
        Assert.Equal("build=success deploy=pending", newer.Jobs());
    }

    [Fact]
    public void Canceling_the_holder_hands_the_resource_on()
    {
        var project = new Project();
        var first = project.Create(1, "deploy@deploy rg=prod");
        var second = project.Create(2, "deploy@deploy rg=prod");
        first.Start("deploy");

        first.Do("cancel; canceled deploy");

        Assert.Equal("deploy=pending", second.Jobs());
        Assert.Equal(2, project.Group("prod").Holder?.PipelineId);
    }

    [Fact]
    public void A_grant_for_a_job_that_stopped_waiting_is_handed_back()
    {
        var run = PipelineRun.Of("deploy@deploy rg=prod").Do("cancel");

        var step = run.TryApply(at => new ResourceGranted(at, "deploy", 1));

        Assert.False(step.Accepted);
        Assert.Equal([new ReleaseResource("prod", "deploy", 1)], step.Effects.ToArray());
    }
}
