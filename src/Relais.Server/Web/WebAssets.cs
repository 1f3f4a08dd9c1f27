using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Relais.Server.Web;

/// <summary>The stylesheet and script, embedded in the assembly (no front-end build) and served from memory.</summary>
internal static class WebAssets
{
    public const string CssPath = "/-/assets/relais.css";
    public const string JsPath = "/-/assets/relais.js";

    private static readonly byte[] Css = Load("relais.css");
    private static readonly byte[] Js = Load("relais.js");

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(CssPath, (HttpContext http) => Serve(http, Css, "text/css; charset=utf-8"));
        app.MapGet(JsPath, (HttpContext http) => Serve(http, Js, "text/javascript; charset=utf-8"));
    }

    private static IResult Serve(HttpContext http, byte[] content, string type)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(content, type);
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Relais.Web." + name)
            ?? throw new InvalidOperationException($"the web asset {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
