using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relais.Server.Api;
using Relais.Server.Artifacts;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web.Pages;

/// <summary>
/// A job's archive: its entries one folder at a time (<c>…/artifacts/browse</c>, <c>…/artifacts/browse/FOLDER/</c>,
/// pages of at most <see cref="ArchiveListing.MaxPageSize"/> items with <c>?after=</c> for the next, read from the
/// central directory in one pass, nothing extracted), the archive (<c>…/artifacts/download</c>) and one entry
/// (<c>…/artifacts/file/PATH</c>). Files are always sent as downloads, never rendered inline, so an artifact's HTML
/// cannot run on this site.
/// </summary>
internal sealed class ArtifactPages(WebGuard guard, IPipelineStore pipelineStore, IArtifactStore artifactStore, ArtifactBlobs blobs)
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(JobPage.Route + "/artifacts/browse", (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => WithArchiveAsync(http, v, p, jid, (job, archive, file) => Browse(http, v, p, job, archive, file, ""))));
        app.MapGet(JobPage.Route + "/artifacts/browse/{**folder}", (HttpContext http, string group, string name, long jid, string? folder) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => WithArchiveAsync(http, v, p, jid, (job, archive, file) =>
                Browse(http, v, p, job, archive, file, string.IsNullOrEmpty(folder) ? "" : folder.TrimEnd('/') + "/"))));
        app.MapGet(JobPage.Route + "/artifacts/download", (HttpContext http, string group, string name, long jid) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => WithArchiveAsync(http, v, p, jid, (_, archive, file) =>
                Results.File(file, "application/zip", archive.Filename))));
        app.MapGet(JobPage.Route + "/artifacts/file/{**path}", (HttpContext http, string group, string name, long jid, string path) =>
            guard.ProjectAsync(http, group, name, AccessLevel.Reporter, (v, p) => WithArchiveAsync(http, v, p, jid, (_, _, file) => Entry(http, v, file, path))));
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

    private static IResult Browse(HttpContext http, WebViewer viewer, ProjectRecord project, JobRecord job, ArtifactRecord archive, string file, string folder)
    {
        var after = http.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        ArchivePage page;
        try
        {
            using var zip = OpenRead(file);
            page = ArchiveListing.Page(zip, folder, after);
        }
        catch (InvalidDataException)
        {
            return Layout.Page(viewer, "Artifacts", h => h.Add($"<h1>Artifacts of {job.Name}</h1><p>The archive {archive.Filename} is not a readable zip.</p>"), project: project);
        }

        if (folder.Length > 0 && page.Items.Count == 0 && after is null)
        {
            return Layout.NotFound(viewer, "Folder");
        }

        var root = $"/{project.Path}/-/jobs/{job.Id}";
        return Layout.Page(viewer, $"Artifacts · {job.Name}", h =>
        {
            h.Add($"<h1>Artifacts of <a href=\"{root}\">{job.Name}</a></h1><p><a href=\"{root}/artifacts/download\" download>Download {archive.Filename}</a> ({Format.Size(archive.Size)}, {page.Entries} entries)</p>");
            Breadcrumbs(h, root, folder);
            h.Raw("<table class=\"list\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Size</th></tr></thead><tbody>");
            foreach (var item in page.Items)
            {
                var path = Escape(folder + item.Name);
                h.Raw("<tr><td data-label=\"Name\">");
                if (item.IsFolder)
                {
                    h.Add($"<a href=\"{root}/artifacts/browse/{path}\">{item.Name}</a>");
                }
                else
                {
                    h.Add($"<a href=\"{root}/artifacts/file/{path}\">{folder + item.Name}</a>");
                }

                h.Add($"</td><td data-label=\"Size\">{(item.IsFolder ? "—" : Format.Size(item.Length))}</td></tr>");
            }

            h.Raw("</tbody></table>");
            if (page.Next is { } next)
            {
                h.Add($"<p><a rel=\"next\" href=\"{root}/artifacts/browse{(folder.Length > 0 ? "/" + Escape(folder) : "")}?after={Uri.EscapeDataString(next)}\">Next {ArchiveListing.MaxPageSize}</a></p>");
            }
        }, project: project, projectTab: "pipelines");
    }

    private static void Breadcrumbs(HtmlBuilder h, string root, string folder)
    {
        h.Add($"<p class=\"breadcrumbs\"><a href=\"{root}/artifacts/browse\">artifacts</a>");
        var path = "";
        foreach (var part in folder.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path += part + "/";
            h.Add($" / <a href=\"{root}/artifacts/browse/{Escape(path)}\">{part}</a>");
        }

        h.Raw("</p>");
    }

    private static string Escape(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static IResult Entry(HttpContext http, WebViewer viewer, string file, string path)
    {
        var zip = OpenRead(file);
        try
        {
            if (ZipCentralDirectory.Entries(zip).FirstOrDefault(e => e.FullName == path && !e.IsDirectory) is { } entry
                && ZipCentralDirectory.Open(zip, entry) is { } content)
            {
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Stream(content, "application/octet-stream", Path.GetFileName(entry.FullName));
            }
        }
        catch (InvalidDataException)
        {
            // not a readable zip: as good as no such file
        }

        zip.Dispose();
        return Layout.NotFound(viewer, "File");
    }

    private static FileStream OpenRead(string file) =>
        new(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
}
