using Relais.Pipelines.Schema.Engine;
using Relais.Pipelines.Yaml;

namespace Relais.Pipelines.Schema.Keywords;

/// <summary><c>parallel</c> (a count or a <c>matrix</c>) and <c>needs</c>, which can point into a matrix.</summary>
internal static class NeedsKeywords
{
    /// <summary>GitLab's limit on the jobs one <c>parallel</c> creates, by count or by matrix.</summary>
    public const int MaxParallel = 200;

    private static readonly UnionShape MatrixScalar = new(Common.String, Common.Number) { Text = "a string or a number" };

    /// <summary>One matrix entry: variable names to a value or a list of values.</summary>
    private static readonly DictShape MatrixEntry = new(new UnionShape(
        MatrixScalar,
        new ListShape(MatrixScalar) { Text = "a list of values" })
    {
        Text = "a value or a list of values",
    });

    private static readonly ListShape Matrix = new(MatrixEntry) { Max = MaxParallel, Text = "a list of hashes of variables" };

    private const string ParallelText = "a number from 1 to 200, or a `matrix:` list";

    public static readonly UnionShape Parallel = new(
        new IntShape { Min = 1, Max = MaxParallel, Text = ParallelText },
        new MapShape
        {
            Required = ["matrix"],
            ["matrix"] = Matrix,
            Rules = [MatrixSize],
        })
    {
        Text = ParallelText,
    };

    /// <summary><c>needs:parallel</c>: only the matrix form, naming the instances needed.</summary>
    private static readonly MapShape NeedsParallel = new()
    {
        Text = "a hash with `matrix`",
        Required = ["matrix"],
        ["matrix"] = Matrix,
    };

    private static readonly MapShape NeedJob = new()
    {
        Required = ["job"],
        ["job"] = Common.String,
        ["artifacts"] = Common.Bool,
        ["optional"] = Common.Bool,
        ["parallel"] = NeedsParallel,
    };

    private static readonly MapShape NeedPipeline = new()
    {
        Required = ["job", "pipeline"],
        ["pipeline"] = Common.String,
        ["job"] = Common.String,
        ["artifacts"] = Common.Bool,
        ["optional"] = Common.Bool,
        ["parallel"] = NeedsParallel,
    };

    private static readonly MapShape NeedProject = new()
    {
        Required = ["job", "project", "ref"],
        ["project"] = Common.String,
        ["job"] = Common.String,
        ["ref"] = Common.String,
        ["artifacts"] = Common.Bool,
        ["parallel"] = NeedsParallel,
    };

    public static readonly ListShape Needs = new(new UnionShape(
        Common.String,
        new FormsShape(("pipeline", NeedPipeline), ("project", NeedProject)) { Fallback = NeedJob })
    {
        Text = "a job name, or a hash with `job`",
    })
    {
        Text = "a list of jobs",
    };

    /// <summary>A matrix makes, per entry, the product of its value counts; all entries together at most 200 jobs.</summary>
    private static void MatrixSize(YamlMapping map, At at, Checker checker)
    {
        if (map["matrix"] is not YamlSequence matrix)
        {
            return;
        }

        long jobs = 0;
        foreach (var entry in matrix.Items.OfType<YamlMapping>())
        {
            // Capped so that a huge matrix cannot overflow the count.
            jobs += entry.Entries.Aggregate(1L, (product, e) =>
                Math.Min(int.MaxValue, product * (e.Value is YamlSequence values ? values.Items.Length : 1)));
        }

        if (jobs > MaxParallel)
        {
            checker.BadValue(matrix.Location, at.Key("matrix"), $"makes {jobs} jobs; at most {MaxParallel} are allowed");
        }
    }
}
