using Relais.Protocol;
using Relais.Protocol.Jobs;
using Relais.Runner.Artifacts;
using Relais.Runner.Files;

namespace Relais.Runner.Jobs.Stages;

/// <summary><c>download_artifacts</c> and <c>upload_artifacts_on_success</c>/<c>_on_failure</c>.</summary>
internal static class ArtifactStages
{
    /// <summary>The dependencies that have an archive to download.</summary>
    public static IReadOnlyList<JobDependency> Downloads(JobContext context) =>
        context.Job.Dependencies.Where(d => !string.IsNullOrEmpty(d.ArtifactsFile?.Filename)).ToArray();

    /// <summary>The artifact entries to upload for a job that <paramref name="succeeded"/>.</summary>
    public static IReadOnlyList<JobArtifact> Uploads(JobContext context, bool succeeded) =>
        context.Job.Artifacts.Where(a => (a.Paths.Count > 0 || a.Untracked) && ArtifactWhen.Applies(a.When, succeeded)).ToArray();

    /// <summary>Extracts every dependency's archive into the project directory; a missing one fails the job.</summary>
    public static async Task<StageResult> DownloadAsync(JobContext context, CancellationToken cancellationToken)
    {
        foreach (var dependency in Downloads(context))
        {
            context.Log.Notice($"Downloading artifacts for {dependency.Name} ({dependency.Id})...");
            await using var archive = await context.Artifacts.OpenDependencyAsync(dependency, context.Job.Token, cancellationToken);
            if (archive is null)
            {
                return StageResult.Failed(FailureReasons.ScriptFailure, $"the artifacts of {dependency.Name} ({dependency.Id}) were not found");
            }

            try
            {
                var entries = ZipArchiver.Extract(archive, context.Paths!.HostProjectDir);
                context.Log.Info($"Downloading artifacts from coordinator... ok ({entries} entries)");
            }
            catch (InvalidDataException e)
            {
                return StageResult.Failed(FailureReasons.ScriptFailure, $"the artifacts of {dependency.Name} ({dependency.Id}) are not a valid archive: {e.Message}");
            }
        }

        return StageResult.Ok;
    }

    /// <summary>Builds and uploads each matching artifact; a failed upload fails the job, no files is only a warning.</summary>
    public static async Task<StageResult> UploadAsync(JobContext context, bool succeeded, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? untracked = null;
        var paths = context.Paths!;
        foreach (var artifact in Uploads(context, succeeded))
        {
            var type = artifact.ArtifactType ?? ArtifactTypes.Archive;
            var format = artifact.ArtifactFormat ?? ArtifactFormats.Zip;
            context.Log.Notice(type == ArtifactTypes.Archive ? "Uploading artifacts..." : $"Uploading artifacts ({type})...");
            if (artifact.Untracked)
            {
                untracked ??= await context.Sources.ListUntrackedAsync(context.SourceContext, cancellationToken);
            }

            var files = FileCollector.Collect(
                paths.HostProjectDir, paths.ProjectDir, artifact.Paths.Select(context.Variables.Expand),
                artifact.Exclude.Select(context.Variables.Expand), artifact.Untracked ? untracked : null);
            foreach (var message in files.Messages)
            {
                (message.IsWarning ? (Action<string>)context.Log.Warning : context.Log.Info)(message.Text);
            }

            var regular = files.Entries.Where(e => !e.EndsWith('/')).ToArray();
            if (regular.Length == 0 && (format != ArtifactFormats.Zip || files.Entries.Count == 0))
            {
                context.Log.Error("No files to upload");
                continue;
            }

            Reports.Summarize(context, type, paths.HostProjectDir, regular);
            var result = await UploadOneAsync(context, artifact, type, format, files.Entries, regular, cancellationToken);
            if (!result.Succeeded)
            {
                return result;
            }
        }

        return StageResult.Ok;
    }

    private static async Task<StageResult> UploadOneAsync(
        JobContext context, JobArtifact artifact, string type, string format, IReadOnlyList<string> entries, string[] regular,
        CancellationToken cancellationToken)
    {
        var paths = context.Paths!;
        if (format == ArtifactFormats.Raw && regular.Length != 1)
        {
            return StageResult.Failed(FailureReasons.ScriptFailure, $"the {type} artifact must be exactly one file for the raw format, found {regular.Length}");
        }

        var name = Path.GetFileName(context.Variables.Expand(artifact.Name ?? "")) is { Length: > 0 } n ? n : "default";
        var fileName = format switch
        {
            ArtifactFormats.Zip => name + ".zip",
            ArtifactFormats.Gzip => name + ".gz",
            _ => name,
        };
        var scratch = Path.Combine(Directory.Exists(paths.HostTempDir) ? paths.HostTempDir : Path.GetTempPath(), $"artifact-{Guid.NewGuid():N}");
        try
        {
            await using (var output = new FileStream(scratch, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1))
            {
                ArtifactArchives.Write(format, paths.HostProjectDir, entries, regular, output);
            }

            await using var content = new FileStream(scratch, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            var upload = new ArtifactUpload(context.Job.Id, context.Job.Token, fileName, type, format, artifact.ExpireIn);
            await context.Artifacts.UploadAsync(upload, content, cancellationToken);
            context.Log.Info($"Uploading artifacts as \"{type}\" to coordinator... ok ({fileName}, {content.Length} bytes)");
            return StageResult.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            return StageResult.Failed(FailureReasons.ScriptFailure, $"uploading artifacts as \"{type}\" failed: {e.Message}");
        }
        finally
        {
            File.Delete(scratch);
        }
    }
}
