using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A job's archive: the entries of the zip (<c>…/artifacts/browse</c>, read from its central directory, nothing
/// extracted), the archive (<c>…/artifacts/download</c>) and one entry (<c>…/artifacts/file/PATH</c>). Files are
/// always sent as downloads, never rendered inline, so an artifact's HTML cannot run on this site.
/// </summary>
internal static class ArtifactPages
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        app.MapGet(JobPage.Route + "/artifacts/browse", (HttpContext http, string group, string name, long jid) =>
            WebGuard.ProjectAsync(http, s, group, name, Access.Read, (v, p) => WithArchiveAsync(s, v, p, jid, (job, archive, file) => Browse(v, p, job, archive, file))));
        app.MapGet(JobPage.Route + "/artifacts/download", (HttpContext http, string group, string name, long jid) =>
            WebGuard.ProjectAsync(http, s, group, name, Access.Read, (v, p) => WithArchiveAsync(s, v, p, jid, (_, archive, file) =>
                Results.File(file, "application/zip", archive.Filename))));
        app.MapGet(JobPage.Route + "/artifacts/file/{**path}", (HttpContext http, string group, string name, long jid, string path) =>
            WebGuard.ProjectAsync(http, s, group, name, Access.Read, (v, p) => WithArchiveAsync(s, v, p, jid, (_, _, file) => Entry(http, v, file, path))));
    }

    private static async Task<IResult> WithArchiveAsync(ServerContext s, WebViewer viewer, ProjectRecord project, long jid, Func<JobRecord, ArtifactRecord, string, IResult> then)
    {
        if (await JobPage.FindAsync(s, project, jid) is not { } job)
        {
            return Layout.NotFound(viewer, "Job");
        }

        return await s.Store.FindArtifactAsync(jid, "archive") is { } archive && File.Exists(s.Blobs.FullPath(archive.BlobPath))
            ? then(job, archive, s.Blobs.FullPath(archive.BlobPath))
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
