using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Artifacts;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A job's archive: the entries of the zip (<c>…/artifacts/browse</c>, read from its central directory, nothing
/// extracted), the archive (<c>…/artifacts/download</c>) and one entry (<c>…/artifacts/file/PATH</c>). Files are
/// always sent as downloads, never rendered inline, so an artifact's HTML cannot run on this site.
/// </summary>
internal sealed class ArtifactPages(WebGuard guard, IPipelineStore pipelineStore, IArtifactStore artifactStore, ArtifactBlobs blobs)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(JobPage.Route + "/artifacts/browse", (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, Access.Read, (v, p) => WithArchiveAsync(http, v, p, jid, (job, archive, file) => Browse(v, p, job, archive, file))));
        app.MapGet(JobPage.Route + "/artifacts/download", (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, Access.Read, (v, p) => WithArchiveAsync(http, v, p, jid, (_, archive, file) =>
                Results.File(file, "application/zip", archive.Filename))));
        app.MapGet(JobPage.Route + "/artifacts/file/{**path}", (HttpContext http, string group, string name, long jid, string path) =>
            guard.ProjectAsync(http, group, name, Access.Read, (v, p) => WithArchiveAsync(http, v, p, jid, (_, _, file) => Entry(http, v, file, path))));
    }

    private async Task<IResult> WithArchiveAsync(HttpContext http, WebViewer viewer, ProjectRecord project, long jid, Func<JobRecord, ArtifactRecord, string, IResult> then)
    {
        if (await Api.JobEndpoints.FindAsync(pipelineStore, project, jid, http.RequestAborted) is not { } job)
        {
            return Layout.NotFound(viewer, "Job");
        }

        return await artifactStore.FindArtifactAsync(jid, "archive", http.RequestAborted) is { } archive && File.Exists(blobs.FullPath(archive.BlobPath))
            ? then(job, archive, blobs.FullPath(archive.BlobPath))
            : Layout.NotFound(viewer, "Artifact archive");
    }

    private static IResult Browse(WebViewer viewer, ProjectRecord project, JobRecord job, ArtifactRecord archive, string file)
    {
        List<ZipArchiveEntry> entries;
        using var zip = OpenZip(file);
        if (zip is null)
        {
            return Layout.Page(viewer, "Artifacts", h => h.Add($"<h1>Artifacts of {job.Name}</h1><p>The archive {archive.Filename} is not a readable zip.</p>"), project: project);
        }

        entries = [.. zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal)];
        var root = $"/{project.Path}/-/jobs/{job.Id}";
        return Layout.Page(viewer, $"Artifacts · {job.Name}", h =>
        {
            h.Add($"<h1>Artifacts of <a href=\"{root}\">{job.Name}</a></h1><p><a href=\"{root}/artifacts/download\" download>Download {archive.Filename}</a> ({Format.Size(archive.Size)})</p>");
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Path</th><th scope=\"col\">Size</th></tr></thead><tbody>");
            foreach (var e in entries)
            {
                var isDirectory = e.FullName.EndsWith('/');
                h.Raw("<tr><td data-label=\"Path\">");
                if (isDirectory)
                {
                    h.Add($"{e.FullName}");
                }
                else
                {
                    h.Add($"<a href=\"{root}/artifacts/file/{string.Join('/', e.FullName.Split('/').Select(Uri.EscapeDataString))}\">{e.FullName}</a>");
                }

                h.Add($"</td><td data-label=\"Size\">{(isDirectory ? "—" : Format.Size(e.Length))}</td></tr>");
            }

            h.Raw("</tbody></table>");
        }, project: project, projectTab: "pipelines");
    }

    private static IResult Entry(HttpContext http, WebViewer viewer, string file, string path)
    {
        var zip = OpenZip(file);
        if (zip?.GetEntry(path) is not { } entry || entry.FullName.EndsWith('/'))
        {
            zip?.Dispose();
            return Layout.NotFound(viewer, "File");
        }

        http.Response.RegisterForDispose(zip);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(entry.Open(), "application/octet-stream", Path.GetFileName(entry.FullName));
    }

    private static ZipArchive? OpenZip(string file)
    {
        try
        {
            return ZipFile.OpenRead(file);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}
