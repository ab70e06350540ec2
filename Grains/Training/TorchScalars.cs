using System.Collections.Concurrent;
using TorchSharp;

namespace MultiAgentRec.Training;

/// <summary>
/// The scalar arguments of the project's TorchSharp calls, held for the life of the process.
/// Why: TorchSharp frees a <see cref="Scalar"/>'s native object in its finalizer, and a scalar made for
/// one call (<c>x.mul(0.5)</c> converts 0.5 implicitly; <c>x.add(y)</c> and <c>x.square()</c> make a 1 or a 2
/// inside TorchSharp) is garbage as soon as its handle has been read. A garbage collection that runs,
/// on any thread, while libtorch is still inside that call lets the finalizer free the scalar under
/// it, and libtorch then reads freed memory: "Expected false to be true" from <c>Scalar::toFloat</c>,
/// "Unknown scalar type", or a crash. Under a thread that only collects garbage, a loop of
/// <c>a.add(b).mul(0.5)</c> failed within about 10,000 calls; the same loop on held scalars ran
/// 2.5 million calls without one. So did the learners: SlateQ and REINFORCE updates failed after
/// 11 s with TorchSharp's Adam and implicit scalars, and ran 60 s without a failure on held ones. So the project's code takes every scalar from here, never converts
/// a number to a scalar implicitly and never calls an overload that makes one inside TorchSharp
/// (<c>TorchScalarSafetyTests</c> reads the compiled code to keep it so). Tensors have the same
/// finalizer; the project's temporaries live inside dispose scopes, which hold them until the scope ends.
/// Only constants belong here (literals and hyper-parameters): each distinct value is kept until the
/// process exits.
/// </summary>
public static class TorchScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>1, the alpha of a plain tensor addition (<c>x.add(y, One)</c>, never <c>x.add(y)</c>).</summary>
    public static Scalar One { get; } = Real(1);

    /// <summary>A 64-bit floating-point scalar, as an implicit conversion of a double would make.</summary>
    public static Scalar Real(double value) => Reals.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>A 64-bit integer scalar, as an implicit conversion of an int or long would make (keeps integer tensors integer).</summary>
    public static Scalar Integer(long value) => Integers.GetOrAdd(value, static v => v.ToScalar());
}
