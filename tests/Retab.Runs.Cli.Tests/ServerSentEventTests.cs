using System.Text;
using Retab.Runs.Cli.Streaming;

namespace Retab.Runs.Cli.Tests;

/// <summary>The stream's text as the service sends it (sse-contract), parsed into the run's events.</summary>
public sealed class ServerSentEventTests
{
    private const string Captured =
        "event: progress\n" +
        "id: c1\n" +
        "data: {\"run_id\":\"wftestrun_1\",\"lifecycle\":{\"status\":\"running\"},\"total_tests\":2,\"counts\":{\"passed\":0}}\n" +
        "\n" +
        ": a comment line\n" +
        "event: heartbeat\r\n" +
        "data: {}\r\n" +
        "\r\n" +
        "event: result\n" +
        "id: c2\n" +
        "data: {\"id\":\"wfnodetestrun_a\",\"verdict\":\"failed\"}\n" +
        "\n" +
        "event: completed\n" +
        "id: c3\n" +
        "data: {\"id\":\"wftestrun_1\",\n" +
        "data: \"lifecycle\":{\"status\":\"completed\"}}\n" +
        "\n" +
        "event: progress\n" +
        "data: {\"never\": \"dispatched: the stream ended inside this event\"}";

    private static async Task<List<ServerSentEvent>> ParseAsync(string text)
    {
        var events = new List<ServerSentEvent>();
        await foreach (var sse in ServerSentEventReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
            events.Add(sse);
        return events;
    }

    [Fact]
    public async Task Events_come_out_with_their_type_id_and_joined_data_lines()
    {
        var events = await ParseAsync(Captured);

        Assert.Equal(["progress", "heartbeat", "result", "completed"], events.Select(e => e.Event));
        Assert.Equal(["c1", "c1", "c2", "c3"], events.Select(e => e.Id));
        Assert.Equal("{\"id\":\"wftestrun_1\",\n\"lifecycle\":{\"status\":\"completed\"}}", events[3].Data);
    }

    [Fact]
    public async Task Run_events_decode_progress_result_and_final_and_ignore_heartbeats()
    {
        var decoded = (await ParseAsync(Captured)).Select(RunEvent.From).ToList();

        Assert.Equal("running", Assert.IsType<RunEvent.Progress>(decoded[0])!.Data["lifecycle"]!["status"]!.GetValue<string>());
        Assert.Null(decoded[1]);
        Assert.Equal("wfnodetestrun_a", Assert.IsType<RunEvent.Result>(decoded[2])!.Data["id"]!.GetValue<string>());
        Assert.Equal("completed", Assert.IsType<RunEvent.Final>(decoded[3])!.Run["lifecycle"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("error")]
    public async Task Every_terminal_status_is_a_final_event(string status)
    {
        var events = await ParseAsync($"event: {status}\nid: x\ndata: {{\"id\":\"wftestrun_1\"}}\n\n");

        Assert.IsType<RunEvent.Final>(RunEvent.From(Assert.Single(events)));
    }
}
