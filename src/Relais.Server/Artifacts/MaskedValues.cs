using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Storage.Json;

namespace Relais.Server.Artifacts;

/// <summary>
/// The masked variable values a job runs with (its pipeline's stored context, opened with the server's key), and
/// <see cref="Mask"/>, which replaces each of them in a text with <c>[MASKED]</c> as the runner does in a trace. Used on
/// what an upload makes the server store (an artifact's name, from <c>artifacts:name</c>), so a secret expanded into it
/// reaches neither the database nor a path on disk.
/// </summary>
internal sealed class MaskedValues(IPipelineStore pipelines, SecretBox secrets)
{
    public const string Replacement = "[MASKED]";

    /// <summary>The plain masked values of <paramref name="job"/>'s pipeline, longest first; empty when it has none.</summary>
    public async Task<IReadOnlyList<string>> OfAsync(JobRecord job, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(job);
        var pipeline = await pipelines.GetPipelineAsync(job.PipelineId, cancel);
        if (string.IsNullOrEmpty(pipeline?.ContextJson))
        {
            return [];
        }

        return [.. StateJson.ReadContext(pipeline.ContextJson).Variables
            .Where(v => v.Masked)
            .Select(v => secrets.Unprotect(v.Value))
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
    }

    /// <summary><paramref name="text"/> with every occurrence of each of <paramref name="values"/> (longest first) replaced by <c>[MASKED]</c>.</summary>
    public static string Mask(string text, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            text = text.Replace(value, Replacement, StringComparison.Ordinal);
        }

        return text;
    }
}
