using Relais.Server.Auth;
using Relais.Server.Git;
using Relais.Server.Storage;

namespace Relais.Server.Tests.Protection;

/// <summary>GitLab's push rules as a pure function: levels, grants, force push, creation, deletion, tags.</summary>
public sealed class PushRulesTests
{
    private static readonly Pusher Owner = new(AccessLevel.Owner, UserId: 1);
    private static readonly Pusher Maintainer = new(AccessLevel.Maintainer, UserId: 2);
    private static readonly Pusher Developer = new(AccessLevel.Developer, UserId: 3);
    private static readonly Pusher Admin = new(AccessLevel.Owner, IsAdmin: true, UserId: 4);

    private static ProtectedRefSet Refs(ProtectedBranchRecord? branch = null, ProtectedTagRecord? tag = null) =>
        new("main", branch is null ? [new ProtectedBranchRecord { Name = "main" }] : [new ProtectedBranchRecord { Name = "main" }, branch], tag is null ? [] : [tag]);

    private static string? Push(ProtectedRefSet refs, Pusher who, string name, RefChangeKind kind = RefChangeKind.Update, bool forced = false, bool web = false) =>
        PushRules.Check(refs, who, new RefChange(name, false, kind, forced), web);

    private static string? Tag(ProtectedRefSet refs, Pusher who, string name, RefChangeKind kind = RefChangeKind.Create, bool web = false) =>
        PushRules.Check(refs, who, new RefChange(name, true, kind), web);

    [Fact]
    public void The_default_maintainer_rule_lets_maintainers_and_owners_push_and_refuses_developers()
    {
        Assert.Null(Push(Refs(), Owner, "main"));
        Assert.Null(Push(Refs(), Maintainer, "main"));
        Assert.Equal(PushRules.PushProtectedBranch, Push(Refs(), Developer, "main"));
        Assert.Null(Push(Refs(), Developer, "feature"));
    }

    [Fact]
    public void Push_level_no_one_refuses_even_the_owner_and_admin_level_only_administrators()
    {
        var noOne = Refs(new ProtectedBranchRecord { Name = "release/*", PushAccessLevel = 0 });
        Assert.Equal(PushRules.PushProtectedBranch, Push(noOne, Owner, "release/1"));
        Assert.Equal(PushRules.PushProtectedBranch, Push(noOne, Admin, "release/1"));
        var admins = Refs(new ProtectedBranchRecord { Name = "release/*", PushAccessLevel = 60 });
        Assert.Equal(PushRules.PushProtectedBranch, Push(admins, Owner, "release/1"));
        Assert.Null(Push(admins, Admin, "release/1"));
    }

    [Fact]
    public void Developers_level_lets_developers_push()
    {
        var devs = Refs(new ProtectedBranchRecord { Name = "dev", PushAccessLevel = 30 });
        Assert.Null(Push(devs, Developer, "dev"));
        Assert.Equal(PushRules.PushProtectedBranch, Push(devs, new Pusher(AccessLevel.Reporter, UserId: 9), "dev"));
    }

    [Fact]
    public void A_force_push_needs_allow_force_push_on_every_matching_rule()
    {
        Assert.Equal(PushRules.ForcePushProtectedBranch, Push(Refs(), Owner, "main", forced: true));
        var allowing = new ProtectedRefSet("main", [new ProtectedBranchRecord { Name = "main", AllowForcePush = true }], []);
        Assert.Null(Push(allowing, Owner, "main", forced: true));
        var twoRules = new ProtectedRefSet("main", [new ProtectedBranchRecord { Name = "main", AllowForcePush = true }, new ProtectedBranchRecord { Name = "ma*" }], []);
        Assert.Equal(PushRules.ForcePushProtectedBranch, Push(twoRules, Owner, "main", forced: true));
        Assert.Null(Push(Refs(), Developer, "feature", forced: true));
    }

    [Fact]
    public void Deleting_a_protected_branch_over_git_is_refused_and_via_the_api_needs_maintainer()
    {
        var refs = Refs(new ProtectedBranchRecord { Name = "release/*" });
        Assert.Equal(PushRules.NonWebDeleteProtectedBranch, Push(refs, Owner, "release/1", RefChangeKind.Delete));
        Assert.Null(Push(refs, Maintainer, "release/1", RefChangeKind.Delete, web: true));
        Assert.Equal(PushRules.NonMaintainerDeleteProtectedBranch, Push(refs, Developer, "release/1", RefChangeKind.Delete, web: true));
        Assert.Equal(PushRules.DeleteDefaultBranch, Push(refs, Owner, "main", RefChangeKind.Delete, web: true));
        Assert.Null(Push(refs, Developer, "feature", RefChangeKind.Delete));
    }

    [Fact]
    public void Creating_a_protected_branch_needs_push_level_or_via_the_api_merge_level()
    {
        var mergeOnly = Refs(new ProtectedBranchRecord { Name = "stable", PushAccessLevel = 40, MergeAccessLevel = 30 });
        Assert.Null(Push(mergeOnly, Maintainer, "stable", RefChangeKind.Create));
        Assert.Equal(PushRules.NonWebCreateProtectedBranch, Push(mergeOnly, Developer, "stable", RefChangeKind.Create));
        Assert.Null(Push(mergeOnly, Developer, "stable", RefChangeKind.Create, web: true));
        Assert.Equal(PushRules.CreateProtectedBranch, Push(Refs(), Developer, "main", RefChangeKind.Create, web: true));
    }

    [Fact]
    public void A_deploy_key_pushes_to_a_protected_branch_only_when_a_rule_lists_it()
    {
        var key = Pusher.DeployKey(7);
        var listed = Refs(new ProtectedBranchRecord
        {
            Name = "deploy",
            PushAccessLevel = 30,
            Grants = [new ProtectedRefGrant { Action = ProtectedRefAction.Push, DeployKeyId = 7 }],
        });
        Assert.Null(Push(listed, key, "deploy"));
        Assert.Equal(PushRules.PushProtectedBranch, Push(listed, Pusher.DeployKey(8), "deploy"));
        Assert.Equal(PushRules.PushProtectedBranch, Push(listed, key, "main"));
        Assert.Null(Push(listed, key, "feature"));
        var mergeGrant = Refs(new ProtectedBranchRecord { Name = "deploy", Grants = [new ProtectedRefGrant { Action = ProtectedRefAction.Merge, DeployKeyId = 7 }] });
        Assert.Equal(PushRules.PushProtectedBranch, Push(mergeGrant, key, "deploy"));
    }

    [Fact]
    public void A_user_listed_in_allowed_to_push_pushes_whatever_the_level()
    {
        var refs = Refs(new ProtectedBranchRecord { Name = "frozen", PushAccessLevel = 0, Grants = [new ProtectedRefGrant { Action = ProtectedRefAction.Push, UserId = 3 }] });
        Assert.Null(Push(refs, Developer, "frozen"));
        Assert.Equal(PushRules.PushProtectedBranch, Push(refs, Owner, "frozen"));
    }

    [Fact]
    public void Protected_tags_are_created_by_their_level_never_moved_and_deleted_only_via_the_api()
    {
        var refs = Refs(tag: new ProtectedTagRecord { Name = "v*", CreateAccessLevel = 40 });
        Assert.Null(Tag(refs, Maintainer, "v1.0"));
        Assert.Equal(PushRules.CreateProtectedTag, Tag(refs, Developer, "v1.0"));
        Assert.Null(Tag(refs, Developer, "nightly"));
        Assert.Equal(PushRules.UpdateProtectedTag, Tag(refs, Owner, "v1.0", RefChangeKind.Update));
        Assert.Equal(PushRules.NonWebDeleteProtectedTag, Tag(refs, Owner, "v1.0", RefChangeKind.Delete));
        Assert.Null(Tag(refs, Owner, "v1.0", RefChangeKind.Delete, web: true));
        var noOne = Refs(tag: new ProtectedTagRecord { Name = "v*", CreateAccessLevel = 0 });
        Assert.Equal(PushRules.CreateProtectedTag, Tag(noOne, Owner, "v2"));
        var keyGrant = Refs(tag: new ProtectedTagRecord { Name = "v*", CreateAccessLevel = 0, Grants = [new ProtectedRefGrant { Action = ProtectedRefAction.Create, DeployKeyId = 7 }] });
        Assert.Null(Tag(keyGrant, Pusher.DeployKey(7), "v2"));
    }

    [Fact]
    public void Only_maintainers_change_or_delete_existing_tags()
    {
        Assert.Equal(PushRules.ChangeExistingTags, Tag(Refs(), Developer, "nightly", RefChangeKind.Update));
        Assert.Equal(PushRules.ChangeExistingTags, Tag(Refs(), Developer, "nightly", RefChangeKind.Delete, web: true));
        Assert.Null(Tag(Refs(), Maintainer, "nightly", RefChangeKind.Delete));
    }

    [Fact]
    public void The_gate_refuses_outright_asks_the_hook_for_a_fast_forward_or_allows()
    {
        const string a = "1111111111111111111111111111111111111111";
        const string b = "2222222222222222222222222222222222222222";
        var updates = new[]
        {
            new RefUpdate(a, b, "refs/heads/main"),
            new RefUpdate(a, b, "refs/heads/feature"),
            new RefUpdate(a, b, "refs/pipelines/12"),
            new RefUpdate(GitRepositories.ZeroSha, b, "refs/heads/main"),
        };
        var verdicts = PushGate.Decide(Refs(), Developer, updates);
        Assert.Equal(
            [PushVerdictKind.Deny, PushVerdictKind.Allow, PushVerdictKind.Deny, PushVerdictKind.Deny],
            verdicts.Select(v => v.Kind));
        var owner = PushGate.Decide(Refs(), Owner, updates);
        Assert.Equal((PushVerdictKind.FastForwardOnly, PushRules.ForcePushProtectedBranch), (owner[0].Kind, owner[0].Message));
        var env = PushGate.Environment(owner);
        Assert.Equal("4", env[PushHook.CountVariable]);
        Assert.Equal($"ff {a} {b} {PushRules.ForcePushProtectedBranch}\ndeny {PushGate.HiddenRef}\n", env[PushHook.VerdictsVariable]);
    }
}
