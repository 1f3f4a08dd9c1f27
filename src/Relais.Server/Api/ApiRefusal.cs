using Microsoft.AspNetCore.Http;

namespace Relais.Server.Api;

/// <summary>Why a call was refused (a release or a tag not created): GitLab's status and message, and the field for a model error (<c>links.url</c>).</summary>
internal sealed record ApiRefusal(int Status, string Message, string? Field = null)
{
    /// <summary>The refusal as the REST API answers it.</summary>
    public IResult ToResult() => Field is null ? ApiJson.Error(Status, Message) : ApiJson.Invalid(Field, Message);

    /// <summary>The refusal in one line, for a job's log.</summary>
    public override string ToString() => Field is null ? Message : Field + " " + Message;
}
