using System.Runtime.InteropServices;

namespace BuildImages.Core.Native;

/// <summary>
/// Calls a libvips operation without C varargs: create it by name, set each input as a GValue typed
/// from the argument's GParamSpec, build it through the cache, read outputs the same way.
/// </summary>
internal sealed class VipsOperation : IDisposable
{
    private IntPtr _op;
    private bool _built;

    private VipsOperation(IntPtr op) => _op = op;

    internal static VipsOperation Create(string name)
    {
        var op = VipsApi.vips_operation_new(name);
        return op == IntPtr.Zero ? throw new VipsException($"libvips has no operation '{name}': {VipsErrors.Take()}") : new VipsOperation(op);
    }

    internal VipsOperation Set(string name, object value)
    {
        var type = ArgumentType(name);
        var gv = default(GValue);
        var fundamental = GObjectApi.g_type_fundamental(type);
        if (value is double[] doubles)
        {
            // vips_value_set_array_double fills a GValue that already holds VipsArrayDouble.
            GObjectApi.g_value_init(ref gv, type);
            VipsApi.vips_value_set_array_double(ref gv, doubles, doubles.Length);
            GObjectApi.g_object_set_property(_op, name, ref gv);
            GObjectApi.g_value_unset(ref gv);
            return this;
        }
        GObjectApi.g_value_init(ref gv, type);
        IntPtr toRelease = IntPtr.Zero;
        switch (fundamental)
        {
            case GObjectApi.G_TYPE_BOOLEAN: GObjectApi.g_value_set_boolean(ref gv, (bool)value ? 1 : 0); break;
            case GObjectApi.G_TYPE_INT: GObjectApi.g_value_set_int(ref gv, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case GObjectApi.G_TYPE_DOUBLE: GObjectApi.g_value_set_double(ref gv, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case GObjectApi.G_TYPE_STRING: GObjectApi.g_value_set_string(ref gv, (string)value); break;
            case GObjectApi.G_TYPE_ENUM:
                GObjectApi.g_value_set_enum(ref gv, value is string nick ? EnumValue(type, nick) : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case GObjectApi.G_TYPE_FLAGS: GObjectApi.g_value_set_flags(ref gv, Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case GObjectApi.G_TYPE_OBJECT: GObjectApi.g_value_set_object(ref gv, ((VipsImage)value).Pointer); break;
            case GObjectApi.G_TYPE_BOXED when value is byte[] bytes:
                toRelease = CopyBlob(bytes);
                GObjectApi.g_value_set_boxed(ref gv, toRelease);
                break;
            default:
                GObjectApi.g_value_unset(ref gv);
                throw new VipsException($"argument '{name}' has a type this binding does not set ({fundamental})");
        }
        GObjectApi.g_object_set_property(_op, name, ref gv);
        GObjectApi.g_value_unset(ref gv);
        if (toRelease != IntPtr.Zero)
        {
            VipsApi.vips_area_unref(toRelease);
        }
        return this;
    }

    /// <summary>Builds the operation; afterwards outputs can be read.</summary>
    internal VipsOperation Build()
    {
        var built = VipsApi.vips_cache_operation_build(_op);
        if (built == IntPtr.Zero)
        {
            var error = VipsErrors.Take();
            VipsApi.vips_object_unref_outputs(_op);
            throw new VipsException(error);
        }
        GObjectApi.g_object_unref(_op);
        _op = built;
        _built = true;
        return this;
    }

    /// <summary>Takes a new reference to an image output.</summary>
    internal VipsImage GetImage(string name)
    {
        var gv = default(GValue);
        GObjectApi.g_value_init(ref gv, ArgumentType(name));
        GObjectApi.g_object_get_property(_op, name, ref gv);
        var image = GObjectApi.g_value_get_object(ref gv);
        // g_value_get_object does not add a reference: take ours before the GValue lets go.
        GObjectApi.g_object_ref(image);
        GObjectApi.g_value_unset(ref gv);
        return new VipsImage(image);
    }

    /// <summary>Copies a blob output (encoded bytes) into managed memory.</summary>
    internal byte[] GetBlob(string name)
    {
        var gv = default(GValue);
        GObjectApi.g_value_init(ref gv, ArgumentType(name));
        GObjectApi.g_object_get_property(_op, name, ref gv);
        var blob = GObjectApi.g_value_get_boxed(ref gv);
        var data = VipsApi.vips_blob_get(blob, out var length);
        var bytes = new byte[(int)length];
        Marshal.Copy(data, bytes, 0, bytes.Length);
        GObjectApi.g_value_unset(ref gv);
        return bytes;
    }

    private nint ArgumentType(string name)
    {
        if (VipsApi.vips_object_get_argument(_op, name, out var pspec, out _, out _) != 0)
        {
            throw new VipsException($"libvips operation has no argument '{name}': {VipsErrors.Take()}");
        }
        // GParamSpec: GTypeInstance (1 pointer), name (1 pointer), flags (int, padded to a pointer), value_type.
        return Marshal.ReadIntPtr(pspec, 3 * IntPtr.Size);
    }

    private static int EnumValue(nint type, string nick)
    {
        var value = VipsApi.vips_enum_from_nick("buildimages", type, nick);
        return value < 0 ? throw new VipsException($"unknown libvips enum value '{nick}': {VipsErrors.Take()}") : value;
    }

    private static unsafe IntPtr CopyBlob(byte[] bytes)
    {
        fixed (byte* p = bytes)
        {
            return VipsApi.vips_blob_copy((IntPtr)p, (nuint)bytes.Length);
        }
    }

    public void Dispose()
    {
        if (_op == IntPtr.Zero)
        {
            return;
        }
        if (_built)
        {
            VipsApi.vips_object_unref_outputs(_op);
        }
        GObjectApi.g_object_unref(_op);
        _op = IntPtr.Zero;
    }
}
