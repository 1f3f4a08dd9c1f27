using Microsoft.AspNetCore.Http;
using Relais.Server.Api;
using Relais.Server.Auth;
using Relais.Server.Storage;
using Relais.Server.Web.Html;

namespace Relais.Server.Web;

/// <summary>
/// The guard every project page goes through. The rules are the REST API's (<see cref="ApiCaller"/>): a public
/// project is readable by anyone; a private one only by those with a role on it. Someone not signed in is sent
/// to sign in; a signed-in user who may not see the project gets 404 (private projects are invisible), one who
/// may see but not change it gets 403. POSTs must carry the anti-forgery token.
/// </summary>
internal sealed class WebGuard(WebSessions sessions, IProjectStore projectStore)
{
    public async Task<IResult> ProjectAsync(
        HttpContext http, string group, string name, AccessLevel level, Func<WebViewer, ProjectRecord, Task<IResult>> handler)
    {
        var viewer = await sessions.ViewerAsync(http);
        var project = await projectStore.FindProjectAsync(group + "/" + name, http.RequestAborted);
        if (project is null || !viewer.Caller.CanSee(project))
        {
            return viewer.SignedIn ? Layout.NotFound(viewer, "Project") : SignInRedirect(http);
        }

        if (!viewer.Caller.Has(project, level))
        {
            return viewer.SignedIn ? Layout.Forbidden(viewer) : SignInRedirect(http);
        }

        return await handler(viewer, project);
    }

    /// <summary>A POST on a project: the role (Developer unless said), a genuine form, then the handler (which usually redirects back).</summary>
    public Task<IResult> ProjectPostAsync(
        HttpContext http, string group, string name, Func<WebViewer, ProjectRecord, IFormCollection, Task<IResult>> handler, AccessLevel level = AccessLevel.Developer) =>
        ProjectAsync(http, group, name, level, async (viewer, project) =>
        {
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            return WebSessions.IsGenuine(viewer, form) ? await handler(viewer, project, form) : InvalidForm(viewer);
        });

    /// <summary>A page that needs someone signed in (and, when <paramref name="admin"/>, an administrator; others get 404).</summary>
    public async Task<IResult> SignedInAsync(HttpContext http, bool admin, Func<WebViewer, Task<IResult>> handler)
    {
        var viewer = await sessions.ViewerAsync(http);
        if (!viewer.SignedIn)
        {
            return SignInRedirect(http);
        }

        return admin && !viewer.Caller.IsAdmin ? Layout.NotFound(viewer) : await handler(viewer);
    }

    public static IResult InvalidForm(WebViewer viewer) =>
        Layout.Page(viewer, "Invalid form", h => h.Raw("<h1>This form has expired</h1><p>Go back, reload the page and try again.</p>"), StatusCodes.Status422UnprocessableEntity);

    public static IResult SignInRedirect(HttpContext http)
    {
        var back = http.Request.Method == HttpMethods.Get ? http.Request.Path + http.Request.QueryString : http.Request.Headers.Referer.ToString();
        return Results.Redirect("/users/sign_in?redirect_to=" + Uri.EscapeDataString(WebSessions.SafeReturnPath(back)));
    }

    /// <summary>After a POST: back to the page (a redirect the browser follows with GET, so a reload does not post again).</summary>
    public static IResult SeeOther(string path) => Results.Redirect(path, permanent: false, preserveMethod: false);
}
