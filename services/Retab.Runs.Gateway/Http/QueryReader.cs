using Retab.Runs.Core.Common;
using Retab.Runs.Core.Validation;

namespace Retab.Runs.Gateway.Http;

/// <summary>Reads query parameters (pagination and filters) with FastAPI-style errors under <c>loc = ["query", name]</c>.</summary>
public sealed class QueryReader(IQueryCollection query)
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public string? String(string name) => query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;

    public string? RequiredString(string name)
    {
        var value = String(name);
        if (value is null)
            _errors.Add(new FieldError(["query", name], "Field required", "missing"));
        return value;
    }

    /// <summary><c>true</c> or <c>false</c> (as FastAPI reads booleans: also 1/0, yes/no, on/off).</summary>
    public bool? Bool(string name)
    {
        switch (String(name)?.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1" or "yes" or "on":
                return true;
            case "false" or "0" or "no" or "off":
                return false;
            default:
                _errors.Add(new FieldError(["query", name], "Input should be a valid boolean", "bool_parsing"));
                return null;
        }
    }

    public DateTimeOffset? Date(string name)
    {
        var value = String(name);
        if (value is null)
            return null;
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
            return date.ToUniversalTime();
        _errors.Add(new FieldError(["query", name], "Input should be a valid datetime", "datetime_parsing"));
        return null;
    }

    /// <summary>
    /// One lower snake_case enum value such as <c>completed</c>. Matched against the names only: <c>Enum.TryParse</c>
    /// would also take numbers and comma lists (<c>queued,running</c>) and read them as flags — another status.
    /// </summary>
    public TEnum? Enum<TEnum>(string name) where TEnum : struct, Enum
    {
        var value = String(name);
        if (value is null)
            return null;
        foreach (var candidate in System.Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), value.Replace("_", ""), StringComparison.OrdinalIgnoreCase))
                return candidate;
        }
        var allowed = string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => $"'{n.ToLowerInvariant()}'"));
        _errors.Add(new FieldError(["query", name], $"Input should be {allowed}", "enum"));
        return null;
    }

    public PageRequest Page()
    {
        var limit = 10;
        if (String("limit") is { } text && (!int.TryParse(text, out limit) || limit < 1 || limit > PageRequest.MaxLimit))
            _errors.Add(new FieldError(["query", "limit"], $"Input should be an integer between 1 and {PageRequest.MaxLimit}", "int_parsing"));
        var before = String("before");
        var after = String("after");
        if (before is not null && after is not null)
            _errors.Add(new FieldError(["query", "before"], "'before' and 'after' are mutually exclusive", "value_error"));
        var order = String("order") switch
        {
            null or "desc" => SortOrder.Desc,
            "asc" => SortOrder.Asc,
            _ => Invalid(),
        };
        return new PageRequest(Math.Clamp(limit, 1, PageRequest.MaxLimit), before, after, order);

        SortOrder Invalid()
        {
            _errors.Add(new FieldError(["query", "order"], "Input should be 'asc' or 'desc'", "literal_error"));
            return SortOrder.Desc;
        }
    }
}
