using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Relais.Server.Api;
using Relais.Server.Security;
using Relais.Server.Storage;
using Relais.Server.Web;

namespace Relais.Server.Registry.Cleanup;

/// <summary>
/// Wires the registry's cleanup (issue #15) into the server: the bulk tag delete API, the cleanup policy loop and
/// garbage collection, on the server's own <see cref="RegistryClient"/>, and the settings page. With the registry off,
/// only the page (policies can still be set; nothing runs them).
/// </summary>
internal static class RegistryCleanupParts
{
    public static void Map(WebApplication app, ServerOptions options, AggregateStores stores, ApiGuard apiGuard, WebGuard webGuard, AuditLog auditLog, RegistrySetup? registry)
    {
        var time = options.Time;
        var policies = new ExpirationPolicies(stores.ContainerExpirationPolicies, time);
        if (registry is null)
        {
            new CleanupPolicyPage(webGuard, auditLog, policies, null).Map(app);
            return;
        }

        var client = new RegistryClient(registry);
        var garbage = new RegistryGarbageCollector(() => registry.Maintenance, options.Output);
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            client.Dispose();
            garbage.Dispose();
        });
        var cleanup = new RepositoryCleanup(client, time);
        new BulkTagDeleteEndpoint(apiGuard, auditLog, stores.ContainerRepositories, new BulkTagDeletions(cleanup, time, options.Output)).Map(app);
        var scheduler = new CleanupPolicyScheduler(
            stores.ContainerExpirationPolicies, stores.ContainerRepositories, stores.Projects, cleanup, garbage, time, options.Output, options.RegistryCleanupInterval);
        app.Lifetime.ApplicationStarted.Register(() => scheduler.Start(app.Lifetime.ApplicationStopping));
        new CleanupPolicyPage(webGuard, auditLog, policies, garbage).Map(app);
    }
}
