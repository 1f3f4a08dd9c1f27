namespace Relais.Server.Storage;

/// <summary>
/// The stores, one per aggregate, over one database: built once in <see cref="ServerHost"/>, which hands each
/// endpoint group only the stores it uses (and tests reach them through <see cref="ServerHost.Stores"/>).
/// </summary>
public sealed record AggregateStores(
    IPipelineStore Pipelines,
    IProjectStore Projects,
    IIdentityStore Identity,
    IRunnerStore Runners,
    IVariableStore Variables,
    IArtifactStore Artifacts,
    IAuditStore Audit,
    IKeyStore Keys,
    IDeployTokenStore DeployTokens,
    ICommitStatusStore CommitStatuses,
    IGroupStore Groups,
    IMemberStore Members,
    IJobTokenScopeStore JobTokenScopes,
    ITriggerStore Triggers,
    IScheduleStore Schedules,
    IJobPlayVariableStore JobPlayVariables,
    IWebhookStore Webhooks,
    IDownstreamStore Downstream,
    IReleaseStore Releases,
    IPackageStore Packages,
    IContainerRepositoryStore ContainerRepositories,
    IContainerExpirationPolicyStore ContainerExpirationPolicies,
    IEnvironmentStore Environments,
    IDeploymentStore Deployments,
    IClusterStore Clusters,
    IDeploymentSettingsStore DeploymentSettings,
    IEnvironmentJobEffectStore EnvironmentJobEffects);
