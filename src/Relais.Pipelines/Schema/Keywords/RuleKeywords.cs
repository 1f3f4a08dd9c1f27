using Relais.Pipelines.Schema.Engine;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary>
/// <c>rules</c> for jobs, <c>include</c> and <c>workflow</c>, their clauses (<c>if</c>, <c>changes</c>,
/// <c>exists</c>), and the legacy <c>only</c>/<c>except</c> filters.
/// </summary>
internal static class RuleKeywords
{
    public static readonly StrShape When = new()
    {
        Values = ["on_success", "on_failure", "always", "never", "manual", "delayed"],
    };

    private static readonly UnionShape Changes = new(Common.Strings, new MapShape
    {
        ["paths"] = Common.Strings,
        ["compare_to"] = Common.String,
        ["regexp"] = new StrShape { MaxLength = 255 },
        Rules = [KeyRules.ExactlyOne("paths", "regexp")],
    })
    {
        Text = "a list of paths, or a hash with `paths` or `regexp`",
    };

    private static readonly UnionShape Exists = new(Common.Strings, new MapShape
    {
        ["paths"] = Common.Strings,
        ["project"] = Common.String,
        ["ref"] = Common.String,
        ["regexp"] = new StrShape { MaxLength = 255 },
        Rules = [KeyRules.ExactlyOne("paths", "regexp"), KeyRules.Requires("ref", "project")],
    })
    {
        Text = "a list of paths, or a hash with `paths` or `regexp`",
    };

    private static readonly ListShape Needs = new(new UnionShape(Common.String, new MapShape
    {
        Required = ["job"],
        ["job"] = Common.NonEmptyString,
        ["artifacts"] = Common.Bool,
        ["optional"] = Common.Bool,
    })
    {
        Text = "a job name, or a hash with `job`",
    })
    {
        Text = "a list of jobs",
    };

    /// <summary>A job's <c>rules</c>; an item may also be a list of rules, as <c>!reference</c> produces.</summary>
    public static readonly ListShape JobRules = RulesOf(new MapShape
    {
        ["if"] = Common.String,
        ["changes"] = Changes,
        ["exists"] = Exists,
        ["variables"] = Common.RulesVariables,
        ["when"] = When,
        ["start_in"] = Common.NonEmptyString,
        ["allow_failure"] = Common.Bool,
        ["needs"] = Needs,
        ["interruptible"] = Common.Bool,
    }, notBlank: true);

    public static readonly ListShape IncludeRules = RulesOf(new MapShape
    {
        ["if"] = Common.String,
        ["changes"] = Changes,
        ["exists"] = Exists,
        ["when"] = new UnionShape(new StrShape { Values = ["never", "always"] }, KindShape.Null),
    });

    public static readonly MapShape AutoCancel = new()
    {
        ["on_new_commit"] = new StrShape { Values = ["conservative", "interruptible", "none"] },
        ["on_job_failure"] = new StrShape { Values = ["none", "all"] },
    };

    public static readonly ListShape WorkflowRules = RulesOf(new MapShape
    {
        ["if"] = Common.String,
        ["changes"] = Changes,
        ["exists"] = Exists,
        ["variables"] = Common.RulesVariables,
        ["when"] = new StrShape { Values = ["always", "never"] },
        ["auto_cancel"] = AutoCancel,
    }, allowNull: false, notBlank: true);

    /// <summary><c>only</c> / <c>except</c>: empty, a list of refs, or a hash of refs, variables, changes, kubernetes.</summary>
    public static readonly UnionShape Filter = new(KindShape.Null, Common.Strings, new MapShape
    {
        ["refs"] = Common.Strings,
        ["variables"] = Common.Strings,
        ["changes"] = Common.Strings,
        ["kubernetes"] = new StrShape { Values = ["active"] },
    })
    {
        Text = "a list of refs, or a hash with `refs`, `variables`, `changes` or `kubernetes`",
    };

    /// <summary>
    /// A list of rules. Job and workflow <c>rules</c> may not be an empty list (GitLab: "rules config can't be
    /// blank"); leaving the key out, or empty, is the way to have no rules.
    /// </summary>
    private static ListShape RulesOf(MapShape rule, bool allowNull = true, bool notBlank = false)
    {
        var item = new UnionShape(rule, new ListShape(rule) { Text = "a list of rules" }) { Text = "a hash of rule clauses" };
        return new ListShape(item)
        {
            AllowNull = allowNull,
            Text = "a list of rules",
            Min = notBlank ? 1 : 0,
            EmptyProblem = "config can't be blank (an empty list of rules; remove `rules:` or give at least one rule)",
        };
    }
}
