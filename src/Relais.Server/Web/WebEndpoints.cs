using Microsoft.AspNetCore.Routing;
using Relais.Server.Web.Logs;
using Relais.Server.Web.Pages;

namespace Relais.Server.Web;

/// <summary>
/// The web UI, server-rendered HTML at GitLab's URLs, mapped in one place (one line in <see cref="ServerHost"/>).
/// Pages read the same store and act through the same <see cref="Pipelines.UserActions"/> as the REST API.
/// </summary>
internal static class WebEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s)
    {
        WebAssets.Map(app);
        SignInPages.Map(app, s);
        ProjectPages.Map(app, s);
        PipelinePage.Map(app, s);
        JobPage.Map(app, s);
        JobLogStream.Map(app, s);
        ArtifactPages.Map(app, s);
        RunnersPage.Map(app, s);
        SettingsPages.Map(app, s);
        ProtectedBranchPages.Map(app, s);
    }
}
