using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using Retab.Runs.Core.Results;
using Retab.Runs.Core.Runs;

namespace Retab.Runs.Storage.Tests;

/// <summary>User JSON (inputs, outputs, expected values) round-trips byte for byte whatever it holds.</summary>
public abstract partial class RunStoreContract
{
    /// <summary>Keys and values that trip document databases and naive serializers.</summary>
    protected const string TrickyJson = """
        {"$gt":{"$where":"sleep(1)","$set":1},"a.b":{"c.d":[1,2,{"e.f":null}]},"":"empty key","__proto__":{"polluted":true},
         "constructor":{"prototype":{"x":1}},"_id":"not an id","$":"$","unicode":"héllo wörld — 日本語 🚀 \u00e9",
         "escapes":"line\nbreak \"quoted\" back\\slash tab\t nul\u0000 end","big":12345678901234567890,
         "bigneg":-98765432109876543210123,"one":1,"onePointZero":1.0,"onePointFive0":1.50,"exp":1.5e300,"tiny":1E-7,
         "negzero":-0,"nested":[[[]],{},[{}]],"nil":null,"t":true,"f":false,"zzz":0,"AAA":0,"dup-ish":{"a":1,"A":2}}
        """;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected static JsonObject Tricky() => JsonNode.Parse(TrickyJson)!.AsObject();

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected!.ToJsonString(Readable), actual.ToJsonString(Readable));
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    [Fact]
    public void The_tricky_json_really_holds_what_it_claims()
    {
        var tricky = Tricky();
        Assert.Contains("\"big\":12345678901234567890", tricky.ToJsonString());
        Assert.Contains("\"onePointZero\":1.0", tricky.ToJsonString());
        Assert.Contains("\"one\":1,", tricky.ToJsonString());
        Assert.True(tricky.ContainsKey(""));
        Assert.True(tricky.ContainsKey("__proto__"));
        Assert.True(tricky.ContainsKey("$gt"));
        Assert.True(tricky.ContainsKey("a.b"));
    }

    [Fact]
    public async Task User_json_in_a_test_round_trips_byte_for_byte()
    {
        var workflow = NewWorkflow();
        await Workflows.InsertAsync(workflow with { Blocks = [workflow.Blocks[0] with { Config = Tricky() }] });
        var test = NewTest(workflow, data: Tricky()) with
        {
            Source = Tricky(),
            Assertion = ExistsAssertion() with { Condition = new JsonObject { ["kind"] = "equals", ["expected"] = Tricky() } },
        };
        test.HandleInputs["a.b"] = Tricky();
        test.HandleInputs["$gt"] = new JsonObject { ["type"] = "json", ["data"] = Tricky() };
        await Tests.InsertAsync(test);

        var read = await Tests.GetAsync(OrgA, test.Id);
        AssertSameJson(test.HandleInputs, read!.HandleInputs);
        AssertSameJson(test.Source, read.Source);
        AssertSameJson(test.Assertion.Condition, read.Assertion.Condition);
        Assert.Equal(test.HandleInputsFingerprint, read.HandleInputsFingerprint);

        var listed = (await Tests.ListAllAsync(OrgA, workflow.Id)).Single();
        AssertSameJson(test.HandleInputs, listed.HandleInputs);

        AssertSameJson(Tricky(), (await Workflows.GetAsync(OrgA, workflow.Id))!.Blocks[0].Config);
    }

    [Fact]
    public async Task User_json_in_a_result_slot_round_trips_byte_for_byte()
    {
        var workflow = NewWorkflow(blocks: [FunctionBlock("block_a") with { Config = Tricky() }]);
        var test = NewTest(workflow, data: Tricky()) with
        {
            Assertion = ExistsAssertion() with { Condition = new JsonObject { ["kind"] = "equals", ["expected"] = Tricky() } },
        };
        var plan = RunPlanner.Plan(workflow, [test], RunScopeSpec.WholeWorkflow);
        var run = NewPendingRun(plan);
        await Runs.InsertRunAsync(run);
        var slot = ResultSlots.Create(run, plan, T0, Deadline).Single();
        await Runs.QueuePlannedRunAsync(run.Id, PlannedSlots.Of([slot]), T0);

        var outputs = new JsonObject { ["output-json-0"] = new JsonObject { ["type"] = "json", ["data"] = Tricky() }, ["a.b"] = Tricky() };
        var finished = Finished(slot, Verdict.Failed, outputs: outputs) with
        {
            AssertionResult = new AssertionResult
            {
                AssertionId = slot.Assertion.Id,
                ConditionKind = "equals",
                Outcome = AssertionOutcome.Failed,
                ActualValue = Tricky(),
                ExpectedValue = Tricky(),
                Failure = new AssertionFailure("not_equal", "différent", Tricky()),
            },
        };
        await Runs.ApplySlotEventsAsync([finished], T0.AddSeconds(1));

        foreach (var read in new[] { await Runs.GetResultAsync(OrgA, slot.Id), await Runs.GetResultByTestAsync(OrgA, run.Id, test.Id), (await AllSlotsAsync(run)).Single() })
        {
            Assert.NotNull(read);
            AssertSameJson(slot.HandleInputs, read.HandleInputs);
            AssertSameJson(slot.BlockConfig, read.BlockConfig);
            AssertSameJson(slot.Assertion.Condition, read.Assertion.Condition);
            AssertSameJson(outputs, read.HandleOutputs);
            AssertSameJson(Tricky(), read.AssertionResult!.ActualValue);
            AssertSameJson(Tricky(), read.AssertionResult.ExpectedValue);
            AssertSameJson(Tricky(), read.AssertionResult.Failure!.Details);
            Assert.Equal("différent", read.AssertionResult.Failure.Message);
            Assert.Equal(slot.Fingerprints, read.Fingerprints);
        }
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1")]
    [InlineData("12345678901234567890")]
    [InlineData("-0")]
    [InlineData("0.1")]
    [InlineData("1e2")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"\\ud83d\\ude80\"")]
    public async Task Scalar_user_values_round_trip_exactly(string json)
    {
        var workflow = NewWorkflow();
        var test = NewTest(workflow) with
        {
            HandleInputs = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = JsonNode.Parse(json) } },
        };
        await Tests.InsertAsync(test);

        var read = await Tests.GetAsync(OrgA, test.Id);

        Assert.Equal(test.HandleInputs.ToJsonString(), read!.HandleInputs.ToJsonString());
        Assert.Equal(json == "null" ? "null" : JsonNode.Parse(json)!.ToJsonString(), read.HandleInputs["input-json-0"]!["data"]?.ToJsonString() ?? "null");
    }
}
