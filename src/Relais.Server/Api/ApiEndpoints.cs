using Microsoft.AspNetCore.Routing;

namespace Relais.Server.Api;

/// <summary>The REST API in GitLab's v4 shapes, mapped in one place. <paramref name="configs"/> decides what "run a pipeline for a ref" compiles.</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerContext s, IPipelineConfigSource configs)
    {
        ProjectEndpoints.Map(app, s);
        PipelineEndpoints.Map(app, s, configs);
        JobEndpoints.Map(app, s);
        JobActionEndpoints.Map(app, s);
        VariableEndpoints.Map(app, s);
        ProtectedBranchEndpoints.Map(app, s);
        RunnerListEndpoints.Map(app, s);
        UserEndpoints.Map(app, s);
        AuditEventEndpoints.Map(app, s);
    }
}
