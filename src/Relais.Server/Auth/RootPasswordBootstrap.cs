using Relais.Server.Storage;

namespace Relais.Server.Auth;

/// <summary>
/// Gives root a password for the web sign-in when it has none (the first start, or the first start after the
/// upgrade that added passwords): <c>RELAIS_ROOT_PASSWORD</c> when set; otherwise a generated one, written to
/// <c>DATA/initial-root-password</c> (mode 600) and printed once. Only the salted hash is stored.
/// </summary>
internal static class RootPasswordBootstrap
{
    public const string EnvironmentVariable = "RELAIS_ROOT_PASSWORD";
    public const string FileName = "initial-root-password";

    public static async Task RunAsync(IIdentityStore store, string dataDir, string? fromEnvironment, TextWriter output, CancellationToken cancel)
    {
        if (await store.FindSignInAsync("root", cancel) is not { PasswordHash: null })
        {
            return; // no root yet, or it has a password: hashing (deliberately slow) is skipped
        }

        var given = !string.IsNullOrEmpty(fromEnvironment);
        var password = given ? fromEnvironment! : Passwords.New();
        if (!await store.SetPasswordIfUnsetAsync("root", Passwords.Hash(password), cancel))
        {
            return;
        }

        if (given)
        {
            await output.WriteLineAsync($"relais: root's web password is the one from {EnvironmentVariable}");
            return;
        }

        var path = Path.Combine(dataDir, FileName);
        await OwnerOnlyFile.WriteLineAsync(path, password);
        await output.WriteLineAsync($"relais: root's web password (shown once, also in {path}):");
        await output.WriteLineAsync(password);
    }
}
