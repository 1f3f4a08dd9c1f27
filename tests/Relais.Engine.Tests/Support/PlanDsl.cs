using System.Collections.Immutable;
using System.Globalization;
using Relais.Pipelines.Plan;

namespace Relais.Engine.Tests.Support;

/// <summary>
/// A one-line plan for table-driven tests: jobs separated by <c>;</c>, each <c>name@stage</c> followed by
/// options: <c>when=manual</c>, <c>start_in=60</c> (seconds), <c>allow_failure[=false]</c>, <c>exit_codes=3,4</c>,
/// <c>needs=</c> (empty) or <c>needs=a,b?</c> (<c>?</c>: optional), <c>retry=2</c>, <c>retry_when=a,b</c>,
/// <c>retry_exit_codes=137</c>, <c>interruptible</c>, <c>rg=group</c>, <c>timeout=600</c>. A <c>workflow</c> entry
/// takes <c>on_new_commit=…</c> and <c>on_job_failure=…</c>. As the compiler does, <c>when=manual</c> defaults
/// to <c>allow_failure</c>, and <c>retry_exit_codes</c> without <c>retry_when</c> leaves <c>when</c> empty.
/// </summary>
public static class PlanDsl
{
    public static PipelinePlan Parse(string text)
    {
        var builder = new PlanBuilder();
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var options = tokens.Skip(1).Select(Option).ToDictionary(o => o.Key, o => o.Value);
            if (tokens[0] == "workflow")
            {
                builder.AutoCancel(options.GetValueOrDefault("on_new_commit") ?? "conservative", options.GetValueOrDefault("on_job_failure") ?? "none");
                continue;
            }

            var nameAndStage = tokens[0].Split('@');
            builder.Job(nameAndStage[0], nameAndStage.Length > 1 ? nameAndStage[1] : "test", job => Configure(job, options));
        }

        return builder.Build();
    }

    private static KeyValuePair<string, string?> Option(string token)
    {
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? new(token, null) : new(token[..eq], token[(eq + 1)..]);
    }

    private static JobPlan Configure(JobPlan job, Dictionary<string, string?> o)
    {
        var when = o.TryGetValue("when", out var w) ? ParseWhen(w!) : JobWhen.OnSuccess;
        var allow = o.TryGetValue("allow_failure", out var a) ? a is null || bool.Parse(a) : when == JobWhen.Manual;
        var retryWhen = o.TryGetValue("retry_when", out var rw) ? Words(rw) : o.ContainsKey("retry_exit_codes") ? [] : ["always"];
        return job with
        {
            When = when,
            StartIn = o.TryGetValue("start_in", out var s) ? TimeSpan.FromSeconds(Int(s!)) : null,
            AllowFailure = allow,
            AllowFailureExitCodes = o.TryGetValue("exit_codes", out var ec) ? Ints(ec) : [],
            Needs = o.TryGetValue("needs", out var n) ? PlanBuilder.Needs([.. Words(n)]) : null,
            Retry = o.TryGetValue("retry", out var r) ? new RetryPlan(Int(r!), retryWhen, o.TryGetValue("retry_exit_codes", out var rc) ? Ints(rc) : []) : RetryPlan.None,
            Interruptible = o.ContainsKey("interruptible"),
            ResourceGroup = o.GetValueOrDefault("rg"),
            Timeout = o.TryGetValue("timeout", out var t) ? TimeSpan.FromSeconds(Int(t!)) : null,
        };
    }

    private static JobWhen ParseWhen(string text) => text switch
    {
        "on_success" => JobWhen.OnSuccess,
        "on_failure" => JobWhen.OnFailure,
        "always" => JobWhen.Always,
        "manual" => JobWhen.Manual,
        "delayed" => JobWhen.Delayed,
        _ => throw new ArgumentException($"unknown when: {text}"),
    };

    private static ImmutableArray<string> Words(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. text.Split(',')];

    private static ImmutableArray<int> Ints(string? text) => [.. Words(text).Select(Int)];

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
