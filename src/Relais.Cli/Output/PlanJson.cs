using System.Text.Json;
using Relais.Pipelines;
using Relais.Pipelines.Diagnostics;
using Relais.Pipelines.Plan;

namespace Relais.Cli.Output;

/// <summary>
/// <c>relais plan --json</c>: <c>{"stages", "jobs", "diagnostics", "workflow"}</c>. Jobs carry their
/// expanded names; <c>needs</c> name expanded jobs; jobs left out by rules are absent.
/// </summary>
internal static class PlanJson
{
    public static void Write(Stream stream, CompileResult result)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        var plan = result.Plan;
        w.WriteBoolean("valid", !result.HasErrors);
        w.WriteStartObject("workflow");
        w.WriteBoolean("created", result.Workflow.Created);
        w.WriteString("reason", result.Workflow.Reason);
        w.WriteEndObject();
        if (plan?.Name is { } name)
        {
            w.WriteString("name", name);
        }

        w.WriteStartArray("stages");
        foreach (var stage in plan?.Stages ?? [])
        {
            w.WriteStringValue(stage);
        }

        w.WriteEndArray();
        w.WriteStartArray("jobs");
        foreach (var job in plan?.Jobs ?? [])
        {
            Job(w, job);
        }

        w.WriteEndArray();
        w.WriteStartArray("diagnostics");
        foreach (var d in result.Diagnostics)
        {
            Diagnostic(w, d);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Job(Utf8JsonWriter w, JobPlan job)
    {
        w.WriteStartObject();
        w.WriteString("name", job.Name);
        w.WriteString("stage", job.Stage);
        w.WriteString("when", PlanText.When(job).Split(' ')[0]);
        w.WriteBoolean("allow_failure", job.AllowFailure);
        Ints(w, "allow_failure_exit_codes", job.AllowFailureExitCodes);
        if (job.StartIn is { } startIn)
        {
            w.WriteNumber("start_in", (long)startIn.TotalSeconds);
        }
        else
        {
            w.WriteNull("start_in");
        }

        if (job.Needs is { } needs)
        {
            w.WriteStartArray("needs");
            foreach (var need in needs)
            {
                w.WriteStartObject();
                w.WriteString("job", need.Job);
                w.WriteBoolean("artifacts", need.Artifacts);
                w.WriteBoolean("optional", need.Optional);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("needs");
        }

        if (job.Dependencies is { } deps)
        {
            Strings(w, "dependencies", deps);
        }

        if (job.Image is { } image)
        {
            w.WriteStartObject("image");
            w.WriteString("name", image.Name);
            if (image.Entrypoint is { } entrypoint)
            {
                Strings(w, "entrypoint", entrypoint);
            }

            Strings(w, "pull_policy", image.PullPolicy);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("image");
        }

        w.WriteStartArray("services");
        foreach (var service in job.Services)
        {
            w.WriteStartObject();
            w.WriteString("name", service.Name);
            if (service.Alias is { } alias)
            {
                w.WriteString("alias", alias);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("variables");
        foreach (var v in job.Variables)
        {
            w.WriteString(v.Key, v.Value);
        }

        w.WriteEndObject();
        Strings(w, "before_script", job.BeforeScript);
        Strings(w, "script", job.Script);
        Strings(w, "after_script", job.AfterScript);
        Strings(w, "tags", job.Tags);
        w.WriteBoolean("interruptible", job.Interruptible);
        if (job.Timeout is { } timeout)
        {
            w.WriteNumber("timeout", (long)timeout.TotalSeconds);
        }

        if (job.Retry.Max > 0)
        {
            w.WriteStartObject("retry");
            w.WriteNumber("max", job.Retry.Max);
            Strings(w, "when", job.Retry.When);
            Ints(w, "exit_codes", job.Retry.ExitCodes);
            w.WriteEndObject();
        }

        if (job.ResourceGroup is { } group)
        {
            w.WriteString("resource_group", group);
        }

        if (job.Environment is { } env)
        {
            w.WriteStartObject("environment");
            w.WriteString("name", env.Name);
            w.WriteString("action", env.Action);
            if (env.Url is { } url)
            {
                w.WriteString("url", url);
            }

            w.WriteEndObject();
        }

        if (job.Parallel is { } parallel)
        {
            w.WriteStartObject("parallel");
            w.WriteNumber("index", parallel.Index);
            w.WriteNumber("total", parallel.Total);
            w.WriteEndObject();
        }

        if (job.Trigger is { } trigger)
        {
            w.WritePropertyName("trigger");
            Written(w, trigger.Written);
        }

        foreach (var (key, value) in job.Extras)
        {
            w.WritePropertyName(key);
            Written(w, value);
        }

        w.WriteString("location", job.Location.ToString());
        w.WriteEndObject();
    }

    /// <summary>A value as written, re-written by <paramref name="w"/>: indented and escaped as the rest of the output.</summary>
    private static void Written(Utf8JsonWriter w, WrittenValue value)
    {
        using var doc = JsonDocument.Parse(value.Json);
        doc.RootElement.WriteTo(w);
    }

    private static void Diagnostic(Utf8JsonWriter w, Diagnostic d)
    {
        w.WriteStartObject();
        w.WriteString("severity", d.Severity == Severity.Error ? "error" : "warning");
        w.WriteString("code", d.Code);
        w.WriteString("file", d.Location.File);
        w.WriteNumber("line", d.Location.Line);
        w.WriteNumber("column", d.Location.Column);
        w.WriteString("message", d.Message);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void Ints(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
