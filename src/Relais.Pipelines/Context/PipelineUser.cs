namespace Relais.Pipelines.Context;

/// <summary>
/// The user who caused a pipeline to run (pushed, pressed "Run pipeline", owns the schedule or the trigger): its jobs
/// see <c>GITLAB_USER_*</c> and its job tokens act with this user's role.
/// </summary>
public sealed record PipelineUser(long Id, string Login, string Name, string Email);
