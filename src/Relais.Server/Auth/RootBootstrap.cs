using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>
/// Creates the root user on the first start. Its personal access token is <c>RELAIS_ROOT_TOKEN</c> when set;
/// otherwise a new one is written to <c>DATA/initial-root-token</c> (mode 600) and printed once. Later starts
/// do nothing.
/// </summary>
internal static class RootBootstrap
{
    public const string EnvironmentVariable = "RELAIS_ROOT_TOKEN";
    public const string FileName = "initial-root-token";

    public static async Task RunAsync(IIdentityStore store, string dataDir, string? fromEnvironment, TextWriter output, DateTimeOffset now, CancellationToken cancel)
    {
        var given = !string.IsNullOrWhiteSpace(fromEnvironment);
        var token = given ? fromEnvironment!.Trim() : Tokens.New(Tokens.PersonalPrefix);
        if (!await store.EnsureRootAsync(Tokens.Hash(token), now, cancel))
        {
            return;
        }

        if (given)
        {
            await output.WriteLineAsync($"relais: created user root with the token from {EnvironmentVariable}");
            return;
        }

        var path = Path.Combine(dataDir, FileName);
        await OwnerOnlyFile.WriteLineAsync(path, token);
        await output.WriteLineAsync($"relais: created user root; its personal access token (shown once, also in {path}):");
        await output.WriteLineAsync(token);
    }
}
