using System.Text.Json.Nodes;

namespace Relais.Dispatch.Downstream;

/// <summary>
/// The files a child pipeline compiles besides its parent's: an entry file that includes each <c>trigger:include</c>
/// entry, where an <c>artifact:</c> + <c>job:</c> entry (a dynamic child pipeline) becomes a <c>local:</c> include of
/// the file taken from that job's artifacts, laid over the parent's files at <see cref="EntryFile"/>'s folder.
/// Used by the coordinator and by <c>relais run</c> alike (lay <see cref="Overlay"/> over the files with a
/// <c>Relais.Pipelines.Sources.ChildConfigSource</c>).
/// </summary>
public sealed record ChildPipelineFiles(string EntryFile, IReadOnlyDictionary<string, string> Overlay)
{
    /// <summary>The folder of the laid-over files (a path no repository uses).</summary>
    public const string Folder = ".relais-artifact-includes";

    /// <summary>The largest file taken from artifacts.</summary>
    public const long MaxArtifactFileBytes = 1024 * 1024;

    /// <summary>
    /// The entry file and overlay for the child pipeline of bridge <paramref name="bridgeId"/>; null when an artifact
    /// entry names no job or <paramref name="readArtifact"/> (job name, path in its artifacts) finds no such file.
    /// </summary>
    public static async Task<ChildPipelineFiles?> BuildAsync(BridgeTrigger trigger, long bridgeId, Func<string, string, Task<string?>> readArtifact)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(readArtifact);
        var overlay = new Dictionary<string, string>(StringComparer.Ordinal);
        var includes = new JsonArray();
        foreach (var entry in trigger.Includes)
        {
            if (entry["artifact"]?.GetValue<string>() is { } artifactPath)
            {
                if (entry["job"]?.GetValue<string>() is not { } job || await readArtifact(job, artifactPath.TrimStart('/')) is not { } text)
                {
                    return null;
                }

                var path = $"{Folder}/{bridgeId}/{overlay.Count}/{artifactPath.TrimStart('/')}";
                overlay[path] = text;
                includes.Add(new JsonObject { ["local"] = path });
            }
            else
            {
                includes.Add(entry.DeepClone());
            }
        }

        var entryFile = $"{Folder}/{bridgeId}/child-pipeline.yml";
        overlay[entryFile] = new JsonObject { ["include"] = includes }.ToJsonString();
        return new ChildPipelineFiles(entryFile, overlay);
    }
}
