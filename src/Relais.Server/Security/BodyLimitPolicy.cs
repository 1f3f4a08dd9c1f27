using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Relais.Server.Security;

/// <summary>
/// Every endpoint's body limit, in one table: the route pattern an endpoint was matched by decides which of
/// <see cref="RequestLimits"/> applies; anything else gets <see cref="RequestLimits.ApiBody"/>. Runs after routing,
/// before the endpoint reads its body, and sets Kestrel's per-request <see cref="IHttpMaxRequestBodySizeFeature"/>.
/// </summary>
internal static class BodyLimitPolicy
{
    public static long For(HttpContext http, RequestLimits limits)
    {
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        return pattern switch
        {
            "/api/v4/jobs/{id:long}/artifacts" => limits.Artifact,
            "/api/v4/jobs/{id:long}/trace" => limits.TracePatch,
            "/api/v4/projects/{id}/packages/generic/{name}/{version}/{file}" => limits.Artifact, // stored with the artifacts, as large
            _ when pattern.EndsWith("/git-receive-pack", StringComparison.Ordinal) => limits.Push,
            _ when pattern.EndsWith("/git-upload-pack", StringComparison.Ordinal) => limits.FetchNegotiation,
            _ => limits.ApiBody,
        };
    }

    /// <summary>Sets the request's limit (when the body has not been read yet; Kestrel refuses changes after).</summary>
    public static void Apply(HttpContext http, RequestLimits limits)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = For(http, limits);
        }
    }
}
