namespace Relais.Server.Storage;

/// <summary>
/// Every store in one, while callers move to the one they use (<see cref="IPipelineStore"/>, <see cref="IProjectStore"/>,
/// <see cref="IIdentityStore"/>, <see cref="IRunnerStore"/>, <see cref="IVariableStore"/>, <see cref="IArtifactStore"/>,
/// <see cref="IAuditStore"/>); it adds nothing of its own.
/// </summary>
public interface IServerStore : IPipelineStore, IProjectStore, IIdentityStore, IRunnerStore, IVariableStore, IArtifactStore, IAuditStore;

