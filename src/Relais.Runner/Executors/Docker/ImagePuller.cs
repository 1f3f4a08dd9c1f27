using System.Text.Json.Nodes;
using Relais.Runner.Docker;
using Relais.Runner.Trace;

namespace Relais.Runner.Executors.Docker;

/// <summary>
/// Makes an image available as gitlab-runner does: the job's <c>pull_policy</c> when the runner allows it (else the
/// runner's), each policy tried in order until one gives the image — <c>always</c> pulls, <c>if-not-present</c> pulls
/// only when the engine lacks it, <c>never</c> only uses what the engine has.
/// </summary>
internal sealed class ImagePuller(DockerClient docker, DockerExecutorSettings options)
{
    /// <summary>The image's inspect document, or the reason it is not available (a message for the log).</summary>
    public async Task<(JsonNode? Image, string? Error)> EnsureAsync(
        string image, IReadOnlyList<string>? jobPolicies, JobEnvironment environment, IJobLog log, CancellationToken cancellationToken)
    {
        var allowed = options.AllowedPullPolicies.Count > 0 ? options.AllowedPullPolicies : options.PullPolicies;
        var policies = jobPolicies is { Count: > 0 } ? jobPolicies : options.PullPolicies;
        if (policies.FirstOrDefault(p => !allowed.Contains(p)) is { } refused)
        {
            return (null, $"pull_policy ([{string.Join(' ', policies)}]) defined in the job is not one of the allowed_pull_policies ([{string.Join(' ', allowed)}]): `{refused}`");
        }

        string? error = null;
        foreach (var policy in policies)
        {
            var present = policy == "always" ? null : await docker.InspectImageAsync(image, cancellationToken);
            if (present is not null)
            {
                log.Info($"Using locally found image version due to \"{policy}\" pull policy");
                return (present, null);
            }

            if (policy == "never")
            {
                error = $"image {image} is not present and the pull policy is \"never\"";
                continue;
            }

            log.Info($"Pulling docker image {image} ...");
            try
            {
                var auth = RegistryAuth.HeaderFor(image, [environment.Variables.Get("DOCKER_AUTH_CONFIG"), Environment.GetEnvironmentVariable("DOCKER_AUTH_CONFIG")], environment.Credentials);
                await docker.PullImageAsync(image, auth, null, cancellationToken);
                return (await docker.InspectImageAsync(image, cancellationToken), null);
            }
            catch (DockerApiException e)
            {
                error = $"failed to pull image \"{image}\": {e.EngineMessage}";
                log.Warning(error + (policy == policies[^1] ? "" : $" (trying the next pull policy)"));
            }
        }

        return (null, error ?? $"image {image} is not available");
    }
}
