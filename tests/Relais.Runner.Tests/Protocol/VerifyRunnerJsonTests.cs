using Relais.Protocol;
using Relais.Protocol.Requests;

namespace Relais.Runner.Tests.Protocol;

/// <summary>The one <c>/runners/verify</c> wire pair (in Relais.Protocol), as the runner writes it and the server reads it.</summary>
public sealed class VerifyRunnerJsonTests
{
    [Fact]
    public async Task The_request_round_trips_in_snake_case()
    {
        var json = ProtocolJson.Write(new VerifyRunnerRequest { Token = "glrt-abc", SystemId = "s_1", Info = new RunnerDetails { Name = "relais" } });
        Assert.Contains("\"token\":\"glrt-abc\"", json, StringComparison.Ordinal);
        Assert.Contains("\"system_id\":\"s_1\"", json, StringComparison.Ordinal);

        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var read = await ProtocolJson.ReadVerifyRequestAsync(body, CancellationToken.None);
        Assert.Equal(("glrt-abc", "s_1", "relais"), (read!.Token, read.SystemId, read.Info!.Name));
    }

    [Fact]
    public async Task A_body_that_is_not_a_verify_request_reads_as_null()
    {
        using var body = new MemoryStream("[1, 2"u8.ToArray());
        Assert.Null(await ProtocolJson.ReadVerifyRequestAsync(body, CancellationToken.None));
        Assert.Null(ProtocolJson.ReadRegistration("200"));
    }

    [Fact]
    public void The_answer_keeps_token_expires_at_even_when_null()
    {
        var registration = ProtocolJson.ReadRegistration("""{"id":7,"token":"glrt-abc","token_expires_at":null}""");
        Assert.Equal((7L, "glrt-abc", (string?)null), (registration!.Id, registration.Token, registration.TokenExpiresAt));
        var written = System.Text.Json.JsonSerializer.Serialize(registration, ProtocolJsonContext.Default.RunnerRegistration);
        Assert.Equal("""{"id":7,"token":"glrt-abc","token_expires_at":null}""", written);
    }
}
