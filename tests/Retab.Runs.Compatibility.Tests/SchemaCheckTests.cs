using Retab.Runs.Compatibility.Tests.Checking;
using Retab.Runs.Compatibility.Tests.Payloads;

namespace Retab.Runs.Compatibility.Tests;

/// <summary>
/// The check itself, on hand-made payloads: it must fail what Retab's models reject, name the field and the model,
/// and let through what they accept (nulls in optional fields, fields they do not know).
/// </summary>
public sealed class SchemaCheckTests
{
    private static readonly RetabSchemas Schemas = RetabSchemas.Load();

    [Fact]
    public void Every_schema_is_draft_2020_12_and_names_what_it_was_written_from()
    {
        var named = typeof(SchemaFiles).GetFields().Select(f => (string)f.GetRawConstantValue()!).Append("retab-common.schema.json");
        Assert.Equal(named.Order(), Schemas.Files.Order());
        foreach (var file in Schemas.Files)
        {
            var document = Schemas.Document(file);
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", document["$schema"]!.GetValue<string>());
            Assert.Equal(RetabSchemas.BaseUri + file, document["$id"]!.GetValue<string>());
            var source = document["$comment"]!.GetValue<string>();
            Assert.True(source.Contains("retab-dev/retab") || source.Contains("fastapi/fastapi"), $"{file} does not name the model it was written from: {source}");
        }
    }

    [Fact]
    public void Every_payload_kind_has_a_schema()
    {
        Assert.All(PayloadKinds.SchemaOf.Values.Distinct(), schema => Assert.Contains(schema, Schemas.Files));
    }

    [Fact]
    public void A_valid_run_with_nulls_in_optional_fields_and_unknown_fields_passes()
    {
        var run = Run();
        run["target"] = null;
        run["counts"] = null;
        run["freshness"] = null;
        run["something_retab_does_not_know"] = new JsonObject { ["x"] = 1 };

        Assert.Empty(Schemas.Check(SchemaFiles.WorkflowTestRun, run));
    }

    [Fact]
    public void A_missing_required_field_is_named_with_the_model_that_requires_it()
    {
        var result = Result();
        result.Remove("target");

        var violation = Assert.Single(Schemas.Check(SchemaFiles.WorkflowTestResult, result));
        Assert.Equal("target", violation.Field);
        Assert.Equal("required but absent", violation.Problem);
        Assert.StartsWith("WorkflowTestResult", violation.Model);
    }

    [Fact]
    public void An_enum_value_Retab_does_not_declare_fails_in_the_nested_model()
    {
        var test = Test();
        test["latest_run_summary"]!["outcome"] = "succeeded";

        var violation = Assert.Single(Schemas.Check(SchemaFiles.WorkflowTest, test));
        Assert.Equal("latest_run_summary.outcome", violation.Field);
        Assert.StartsWith("LatestBlockTestRunSummary", violation.Model);
    }

    [Fact]
    public void A_lifecycle_variant_is_checked_by_its_status()
    {
        var run = Run();
        run["lifecycle"] = new JsonObject { ["status"] = "error", ["details"] = new JsonObject { ["error_code"] = 42 } };

        var violation = Assert.Single(Schemas.Check(SchemaFiles.WorkflowTestRun, run));
        Assert.Equal("lifecycle.details.error_code", violation.Field);
        Assert.StartsWith("ErrorDetails", violation.Model);
    }

    [Fact]
    public void A_list_item_that_fails_is_named_by_its_index()
    {
        var list = new JsonObject
        {
            ["data"] = new JsonArray(Result(), Result()),
            ["list_metadata"] = new JsonObject { ["before"] = null, ["after"] = null },
        };
        list["data"]![1]!["verdict_summary"]!.AsObject().Remove("result");

        var violation = Assert.Single(Schemas.Check(SchemaFiles.WorkflowTestResultList, list));
        Assert.Equal("data[1].verdict_summary.result", violation.Field);
        Assert.StartsWith("VerdictSummary", violation.Model);
    }

    [Theory]
    [InlineData("test_id", 5)]
    [InlineData("total_tests", "3")]
    [InlineData("workflow_version_id", null)]
    public void A_field_of_the_wrong_type_fails(string field, object? value)
    {
        var run = Run();
        run[field] = value is null ? null : JsonValue.Create(value);

        Assert.Equal(field, Assert.Single(Schemas.Check(SchemaFiles.WorkflowTestRun, run)).Field);
    }

    [Fact]
    public void A_timestamp_Retab_cannot_parse_fails()
    {
        var run = Run();
        run["timing"]!["created_at"] = "yesterday";

        Assert.Equal("timing.created_at", Assert.Single(Schemas.Check(SchemaFiles.WorkflowTestRun, run)).Field);
    }

    [Fact]
    public void A_FastAPI_validation_error_needs_loc_msg_and_type()
    {
        var body = new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["loc"] = new JsonArray("body", 0), ["msg"] = "Field required" }) };

        var violation = Assert.Single(Schemas.Check(SchemaFiles.HttpValidationError, body));
        Assert.Equal("detail[0].type", violation.Field);
        Assert.StartsWith("ValidationError", violation.Model);
    }

    private static JsonObject Run() => new()
    {
        ["id"] = "wftestrun_1",
        ["workflow_id"] = "wf_1",
        ["workflow_version_id"] = "draft_1",
        ["workflow"] = new JsonObject { ["workflow_id"] = "wf_1", ["version_id"] = "draft_1" },
        ["trigger"] = new JsonObject { ["type"] = "api" },
        ["lifecycle"] = new JsonObject { ["status"] = "pending" },
        ["timing"] = new JsonObject { ["created_at"] = "2026-01-02T03:04:05.678Z", ["started_at"] = null },
        ["test_id"] = null,
        ["total_tests"] = 3,
    };

    private static JsonObject Result() => new()
    {
        ["id"] = "wfnodetestrun_1",
        ["test_id"] = "wfnodetest_1",
        ["workflow_id"] = "wf_1",
        ["block_id"] = "block_1",
        ["block_type"] = "function",
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = "block_1" },
        ["source"] = new JsonObject { ["type"] = "manual", ["handle_inputs"] = new JsonObject { ["input-json-0"] = new JsonObject { ["type"] = "json", ["data"] = 1 } } },
        ["lifecycle"] = new JsonObject { ["status"] = "completed" },
        ["verdict"] = "passed",
        ["verdict_summary"] = new JsonObject { ["passed"] = true, ["result"] = true },
    };

    private static JsonObject Test() => new()
    {
        ["id"] = "wfnodetest_1",
        ["workflow_id"] = "wf_1",
        ["target"] = new JsonObject { ["type"] = "block", ["block_id"] = "block_1" },
        ["source"] = new JsonObject { ["type"] = "run_step", ["run_id"] = "wfnodetestrun_1" },
        ["latest_run_summary"] = new JsonObject
        {
            ["run_record_id"] = "wfnodetestrun_1",
            ["status"] = "completed",
            ["outcome"] = "passed",
            ["started_at"] = "2026-01-02T03:04:05.678Z",
        },
    };
}
