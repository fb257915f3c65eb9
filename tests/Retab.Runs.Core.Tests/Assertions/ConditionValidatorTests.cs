using System.Text.Json.Nodes;
using Retab.Runs.Core.Assertions;
using static Retab.Runs.Core.Tests.Assertions.AssertionKit;

namespace Retab.Runs.Core.Tests.Assertions;

/// <summary>ConditionValidator: pydantic-style loc / msg / type for each malformed condition.</summary>
public sealed class ConditionValidatorTests
{
    private const string Splits = "{'splits':[{'name':'a','pages':[1]}]}";

    /// <summary>Rows: condition, loc joined with '/', type of the first error.</summary>
    public static TheoryData<string, string, string> MalformedCases => new()
    {
        { "null", "", "dict_type" },
        { "[]", "", "dict_type" },
        { "'exists'", "", "dict_type" },
        { "{}", "kind", "missing" },
        { "{'kind':5}", "kind", "string_type" },
        { "{'kind':null}", "kind", "string_type" },
        { "{'kind':'nope'}", "kind", "union_tag_invalid" },
        { "{'kind':'EXISTS'}", "kind", "union_tag_invalid" },
        { "{'kind':'exists','expected':1}", "expected", "extra_forbidden" },
        { "{'kind':'equals'}", "expected", "missing" },
        { "{'kind':'not_equals','expected':1,'path':'a'}", "path", "extra_forbidden" },
        { "{'kind':'number_compare','expected':5}", "op", "missing" },
        { "{'kind':'number_compare','op':'ge','expected':5}", "op", "literal_error" },
        { "{'kind':'number_compare','op':5,'expected':5}", "op", "literal_error" },
        { "{'kind':'number_compare','op':'gt'}", "expected", "missing" },
        { "{'kind':'number_compare','op':'gt','expected':'5'}", "expected", "float_type" },
        { "{'kind':'number_compare','op':'gt','expected':true}", "expected", "float_type" },
        { "{'kind':'number_compare','op':'gt','expected':null}", "expected", "float_type" },
        { "{'kind':'contains'}", "expected", "missing" },
        { "{'kind':'object_contains','expected':[1]}", "expected", "dict_type" },
        { "{'kind':'object_contains','expected':null}", "expected", "dict_type" },
        { "{'kind':'array_contains'}", "expected", "missing" },
        { "{'kind':'matches_regex'}", "pattern", "missing" },
        { "{'kind':'matches_regex','pattern':5}", "pattern", "string_type" },
        { "{'kind':'matches_regex','pattern':'('}", "pattern", "value_error" },
        { "{'kind':'matches_regex','pattern':'[a-'}", "pattern", "value_error" },
        { "{'kind':'json_schema_valid'}", "schema", "missing" },
        { "{'kind':'json_schema_valid','schema':'object'}", "schema", "dict_type" },
        { "{'kind':'json_schema_valid','schema':{'type':'foo'}}", "schema", "value_error" },
        { "{'kind':'json_schema_valid','schema':{'$schema':'http://json-schema.org/draft-04/schema#'}}", "schema", "value_error" },
        { "{'kind':'json_schema_valid','schema':{'$ref':'#/$defs/nothing'}}", "schema", "value_error" },
        { "{'kind':'similarity_gte','threshold':0.5}", "reference", "missing" },
        { "{'kind':'similarity_gte','reference':1,'threshold':0.5}", "reference", "string_type" },
        { "{'kind':'similarity_gte','reference':'a'}", "threshold", "missing" },
        { "{'kind':'similarity_gte','reference':'a','threshold':1.5}", "threshold", "less_than_equal" },
        { "{'kind':'similarity_gte','reference':'a','threshold':-0.1}", "threshold", "greater_than_equal" },
        { "{'kind':'similarity_gte','reference':'a','threshold':'0.5'}", "threshold", "float_type" },
        { "{'kind':'similarity_gte','reference':'a','threshold':0.5,'method':'cosine'}", "method", "literal_error" },
        { "{'kind':'llm_judged_as'}", "rubric", "missing" },
        { "{'kind':'llm_judged_as','rubric':''}", "rubric", "string_too_short" },
        { "{'kind':'llm_not_judged_as','rubric':'r','expected_label':5}", "expected_label", "string_type" },
        { "{'kind':'llm_not_judged_as','rubric':'r','label':'x'}", "label", "extra_forbidden" },
        { "{'kind':'length_compare','op':'eq','expected':2.5}", "expected", "int_from_float" },
        { "{'kind':'length_compare','op':'eq','expected':'2'}", "expected", "int_type" },
        { "{'kind':'length_compare','op':'longer','expected':2}", "op", "literal_error" },
        { "{'kind':'between','upper':5}", "lower", "missing" },
        { "{'kind':'between','lower':'1','upper':5}", "lower", "float_type" },
        { "{'kind':'between','lower':1,'upper':5,'inclusive':'yes'}", "inclusive", "bool_type" },
        { "{'kind':'between','lower':5,'upper':1}", "upper", "value_error" },
        { "{'kind':'starts_with','expected':null}", "expected", "string_type" },
        { "{'kind':'ends_with','expected':['a']}", "expected", "string_type" },
        { "{'kind':'all_items_match'}", "condition", "missing" },
        { "{'kind':'all_items_match','condition':'exists'}", "condition", "dict_type" },
        { "{'kind':'all_items_match','condition':{'kind':'number_compare','op':'bad','expected':1}}", "condition/op", "literal_error" },
        { "{'kind':'any_item_matches','condition':{'kind':'all_items_match','condition':{}}}", "condition/condition/kind", "missing" },
        { "{'kind':'any_item_matches','condition':{'kind':'matches_regex','pattern':'('}}", "condition/pattern", "value_error" },
        { "{'kind':'split_iou_gte'}", "expected", "missing" },
        { "{'kind':'split_iou_gte','expected':[]}", "expected", "dict_type" },
        { "{'kind':'split_iou_gte','expected':{}}", "expected/splits", "missing" },
        { "{'kind':'split_iou_gte','expected':{'splits':{}}}", "expected/splits", "list_type" },
        { "{'kind':'split_iou_gte','expected':{'splits':[]}}", "expected/splits", "too_short" },
        { "{'kind':'split_iou_gte','expected':{'splits':[5]}}", "expected/splits/0", "dict_type" },
        { "{'kind':'split_iou_gte','expected':{'splits':[{'pages':[1]}]}}", "expected/splits/0/name", "missing" },
        { "{'kind':'split_iou_gte','expected':{'splits':[{'name':'a'}]}}", "expected/splits/0/pages", "missing" },
        { "{'kind':'split_iou_gte','expected':{'splits':[{'name':'a','pages':['1']}]}}", "expected/splits/0/pages/0", "int_type" },
        { "{'kind':'split_iou_gte','expected':{'splits':[{'name':'a','pages':[1]},{'name':'a','pages':[2]}]}}", "expected/splits/1/name", "value_error" },
        { $"{{'kind':'split_iou_gte','expected':{Splits},'threshold':2}}", "threshold", "less_than_equal" },
    };

    /// <summary>One valid condition per kind, including the optional fields and edge values.</summary>
    public static TheoryData<string> ValidCases => new()
    {
        "{'kind':'exists'}",
        "{'kind':'not_exists'}",
        "{'kind':'equals','expected':null}",
        "{'kind':'not_equals','expected':{'a':[1,{'b':''}]}}",
        "{'kind':'number_compare','op':'neq','expected':-1.5e3}",
        "{'kind':'contains','expected':[]}",
        "{'kind':'not_contains','expected':''}",
        "{'kind':'object_contains','expected':{}}",
        "{'kind':'array_contains','expected':[1,'a']}",
        "{'kind':'matches_regex','pattern':''}",
        "{'kind':'json_schema_valid','schema':true}",
        "{'kind':'json_schema_valid','schema':{'$schema':'http://json-schema.org/draft-07/schema#','type':'object'}}",
        "{'kind':'similarity_gte','reference':'','threshold':0}",
        "{'kind':'similarity_gte','reference':'a','threshold':1,'method':'embeddings'}",
        "{'kind':'llm_judged_as','rubric':'is a company name'}",
        "{'kind':'llm_not_judged_as','rubric':'r','expected_label':null}",
        "{'kind':'length_compare','op':'lte','expected':3.0}",
        "{'kind':'between','lower':1,'upper':1,'inclusive':false}",
        "{'kind':'starts_with','expected':'é'}",
        "{'kind':'ends_with','expected':''}",
        "{'kind':'all_items_match','condition':{'kind':'any_item_matches','condition':{'kind':'exists'}}}",
        "{'kind':'any_item_matches','condition':{'kind':'equals','expected':1}}",
        $"{{'kind':'split_iou_gte','expected':{Splits}}}",
        "{'kind':'split_iou_gte','expected':{'splits':[{'name':'a','pages':[],'confidence':0.9}]},'threshold':0.5}",
    };

    [Theory, MemberData(nameof(MalformedCases))]
    public void Malformed_condition_is_reported_at_its_location(string condition, string loc, string type)
    {
        var errors = ConditionValidator.Validate(JsonNode.Parse(J(condition)));

        Assert.NotEmpty(errors);
        Assert.Equal(loc, string.Join("/", errors[0].Loc));
        Assert.Equal(type, errors[0].Type);
        Assert.False(string.IsNullOrWhiteSpace(errors[0].Msg));
    }

    [Theory, MemberData(nameof(ValidCases))]
    public void Valid_condition_has_no_errors(string condition)
    {
        var errors = ConditionValidator.Validate(JsonNode.Parse(J(condition)));
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{string.Join("/", e.Loc)} {e.Type}: {e.Msg}")));
    }

    [Fact]
    public void Every_kind_has_a_valid_case()
    {
        var covered = ((IEnumerable<object[]>)ValidCases).Select(row => (string?)JsonNode.Parse(J((string)row[0]))!["kind"]).ToHashSet();
        Assert.Equal(ConditionKinds.All.OrderBy(k => k), covered.OrderBy(k => k));
    }

    [Fact]
    public void Messages_follow_pydantic()
    {
        var errors = ConditionValidator.Validate(JsonNode.Parse(J("{'kind':'number_compare','op':'x','expected':'y','extra':1}")));

        Assert.Collection(errors,
            e => Assert.Equal(("op", "Input should be 'gt', 'gte', 'lt', 'lte', 'eq' or 'neq'", "literal_error"), ((string)e.Loc[0], e.Msg, e.Type)),
            e => Assert.Equal(("expected", "Input should be a valid number", "float_type"), ((string)e.Loc[0], e.Msg, e.Type)),
            e => Assert.Equal(("extra", "Extra inputs are not permitted", "extra_forbidden"), ((string)e.Loc[0], e.Msg, e.Type)));
        Assert.Equal("Field required", ConditionValidator.Validate(JsonNode.Parse("{}"))[0].Msg);
    }

    [Fact]
    public void Unknown_kind_message_lists_the_kinds()
    {
        var error = Assert.Single(ConditionValidator.Validate(JsonNode.Parse(J("{'kind':'nope'}"))));
        Assert.StartsWith("Input tag 'nope' found using 'kind' does not match any of the expected tags: 'exists', 'not_exists'", error.Msg);
    }

    [Fact]
    public void Indices_in_loc_are_integers()
    {
        var error = ConditionValidator.Validate(JsonNode.Parse(J("{'kind':'split_iou_gte','expected':{'splits':[{'name':'a','pages':[1,'x']}]}}")))[0];
        Assert.Equal(new object[] { "expected", "splits", 0, "pages", 1 }, error.Loc);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        var condition = "{\"kind\":\"exists\"}";
        for (var i = 0; i < ConditionValidator.MaxNestingDepth + 1; i++)
            condition = $"{{\"kind\":\"all_items_match\",\"condition\":{condition}}}";

        var error = Assert.Single(ConditionValidator.Validate(JsonNode.Parse(condition)));
        Assert.Equal("value_error", error.Type);
        Assert.All(error.Loc, segment => Assert.Equal("condition", segment));
    }

    [Fact]
    public void All_errors_are_reported_not_only_the_first()
    {
        var errors = ConditionValidator.Validate(JsonNode.Parse(J("{'kind':'between','lower':'a','upper':'b','inclusive':1}")));
        Assert.Equal(["lower", "upper", "inclusive"], errors.Select(e => (string)e.Loc[0]));
    }
}
