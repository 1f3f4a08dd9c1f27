using System.Security.Cryptography;
using System.Text;
using Relais.Server.Security;
using Relais.Server.Storage;

namespace Relais.Server.RunnerApi;

/// <summary>
/// The instance's runner registration token (GitLab's deprecated way to register runners, which older tutorials and
/// <c>gitlab-runner register --registration-token</c> use): made on first use, stored encrypted (administrators see it on
/// the runners page), compared in constant time.
/// </summary>
internal sealed class RegistrationTokens(IRunnerStore runners, SecretBox secrets)
{
    private const string Setting = "runners_registration_token";

    /// <summary>GitLab's prefix for registration tokens.</summary>
    public const string Prefix = "GR1348941";

    /// <summary>The instance's registration token, made now if there is none.</summary>
    public async Task<string> InstanceTokenAsync(CancellationToken cancel) =>
        secrets.Unprotect(await runners.EnsureSettingAsync(Setting, secrets.Protect(Auth.Tokens.New(Prefix)), cancel));

    /// <summary>Whether <paramref name="token"/> is the instance's registration token (false when none was ever made).</summary>
    public async Task<bool> IsInstanceTokenAsync(string? token, CancellationToken cancel)
    {
        if (string.IsNullOrEmpty(token) || await runners.GetSettingAsync(Setting, cancel) is not { } stored)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secrets.Unprotect(stored)), Encoding.UTF8.GetBytes(token));
    }
}
