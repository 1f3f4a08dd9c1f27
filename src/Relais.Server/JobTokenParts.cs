using Relais.Server.Api;
using Relais.Server.Pipelines;

namespace Relais.Server;

/// <summary>What jobs' tokens reach, built once in <see cref="ServerHost"/>: the callers they stand for, <c>needs:project</c>, and the payloads (whose variables the <c>release:</c> keyword expands).</summary>
internal sealed record JobTokenParts(JobTokenCallers Callers, ProjectNeedArtifacts ProjectNeeds, PayloadFactory Payloads);
