using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Retab.Runs.Core.Limits;

namespace Retab.Runs.Blocks;

/// <summary>
/// Measures a returned value against the output limits without recursion, before anything serializes it: how deep it
/// nests, and how many bytes it would take as JSON, stopping as soon as either limit is passed. A value shared by
/// several parents counts once per parent, as <c>JSON.stringify</c> writes it (a few kilobytes can stand for gigabytes
/// that way); a cycle is reported as such. Getters and proxies run here as in the serializer, under the same engine
/// limits; what they return may differ the second time, so the caller still checks the serialized size.
/// </summary>
internal static class OutputShape
{
    public enum Verdict { Fits, TooLarge, TooDeep, Cyclic }

    public static Verdict Measure(JsValue value, int maxDepth, long maxBytes)
    {
        long bytes = 0;
        var ancestors = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        // An entry with Leaving set marks the end of that object's children: it is no longer an ancestor.
        var pending = new Stack<(ObjectInstance Object, int Depth, bool Leaving)>();

        // Primitives are counted where they are met; only objects wait on the stack, each already counted at least
        // its braces, so the stack never holds more entries than the budget has bytes.
        bool Add(JsValue item, int depth)
        {
            switch (item)
            {
                case ObjectInstance obj when !obj.IsCallable():
                    bytes += 2;
                    pending.Push((obj, depth, false));
                    break;
                case JsString text:
                    bytes += 2 + text.Length; // the least it can take; the exact count below only when it may fit
                    if (bytes <= maxBytes)
                        bytes += JsonText.StringBytes(text.ToString(), maxBytes - bytes) - 2 - text.Length;
                    break;
                case JsNumber number:
                    bytes += JsonText.NumberBytes(number.AsNumber());
                    break;
                case JsBoolean boolean:
                    bytes += boolean.AsBoolean() ? 4 : 5;
                    break;
                default:
                    bytes += 4; // null, and what an array writes as null (undefined, functions, symbols)
                    break;
            }
            return bytes <= maxBytes;
        }

        if (value.IsUndefined() ? !Add(JsValue.Null, 0) : !Add(value, 0))
            return Verdict.TooLarge;
        while (pending.TryPop(out var entry))
        {
            var (obj, depth, leaving) = entry;
            if (leaving)
            {
                ancestors.Remove(obj);
                continue;
            }
            if (!ancestors.Add(obj))
                return Verdict.Cyclic;
            if (depth >= maxDepth)
                return Verdict.TooDeep;
            pending.Push((obj, depth, true));

            if (obj is JsArray array)
            {
                var length = array.Length;
                bytes += Math.Max(0, (long)length - 1); // commas
                if (bytes > maxBytes)
                    return Verdict.TooLarge;
                for (uint i = 0; i < length; i++)
                {
                    if (!Add(array.TryGetValue(i, out var element) ? element : JsValue.Undefined, depth + 1))
                        return Verdict.TooLarge;
                }
                continue;
            }

            if (obj is JsDate)
            {
                bytes += 24; // "2024-01-31T12:00:00.000Z" (26 with its quotes) in place of the {} counted already
                continue;
            }
            foreach (var key in obj.GetOwnPropertyKeys(Types.String))
            {
                var property = obj.GetOwnProperty(key);
                if (!property.Enumerable)
                    continue;
                var item = obj.Get(key);
                if (item.IsUndefined() || item.IsSymbol() || item.IsCallable())
                    continue; // left out of objects by JSON
                bytes += JsonText.StringBytes(key.ToString(), maxBytes - bytes) + 2; // the key, its colon and a comma
                if (bytes > maxBytes || !Add(item, depth + 1))
                    return Verdict.TooLarge;
            }
        }
        return Verdict.Fits;
    }
}
