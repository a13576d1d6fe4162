/// A byte source that shows every chunk it reads to an observer, such as a hash of the bytes
/// actually parsed: the pipeline checks that what it archived is what it hashed.
public struct ObservedByteSource<Base: ByteSource>: ByteSource {
    var base: Base
    let observe: (UnsafeRawBufferPointer) -> Void

    public init(_ base: Base, observe: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.base = base
        self.observe = observe
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(AdapterError) -> Int {
        let count = try base.read(into: buffer)
        if count > 0 { observe(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        return count
    }
}
