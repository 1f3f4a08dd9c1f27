using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Relais.Server.Security;

/// <summary>
/// Reads a form body, turning what a broken multipart body makes the framework throw (an <see cref="IOException"/>
/// "Unexpected end of Stream" when a part never ends) into <see cref="InvalidDataException"/>, which
/// <see cref="HostileInputGuard"/> answers with 400. A client that went away is left as it is.
/// </summary>
internal static class FormReader
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, FormOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return options is null
                ? await request.ReadFormAsync(request.HttpContext.RequestAborted)
                : await request.ReadFormAsync(options, request.HttpContext.RequestAborted);
        }
        catch (IOException e) when (e is not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested && !DiskFull.Is(e))
        {
            throw new InvalidDataException("the form body is malformed", e);
        }
    }
}
