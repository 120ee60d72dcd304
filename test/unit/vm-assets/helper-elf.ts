import assert from 'node:assert/strict';

const PT_INTERP = 3;
/** p_type of each ELF64 program header (little-endian). */
function programHeaderTypes(elf: Buffer): number[] {
  const off = Number(elf.readBigUInt64LE(32));
  const size = elf.readUInt16LE(54);
  return Array.from({ length: elf.readUInt16LE(56) }, (_, i) => elf.readUInt32LE(off + i * size));
}

/** A guest helper as the builder makes it: static ET_EXEC for the arch, no loader, small. */
export function assertFreestanding(elf: Buffer, arch: 'amd64' | 'arm64'): void {
  assert.equal(elf.readUInt16LE(16), 2, `${arch}: ET_EXEC (fixed address, no PIE)`);
  assert.equal(elf.readUInt16LE(18), arch === 'amd64' ? 62 : 183, `${arch}: e_machine`);
  assert.ok(!programHeaderTypes(elf).includes(PT_INTERP) && !elf.includes(Buffer.from('ld-linux')), `${arch}: no dynamic loader`);
  assert.ok(elf.length < 64 * 1024, `${arch}: ${elf.length} bytes`);
}

/** A guest preload as the builder makes it: a shared object for the arch that links to no library (it binds the process's own libc). */
export function assertPreload(elf: Buffer, arch: 'amd64' | 'arm64', defines: string): void {
  assert.equal(elf.readUInt16LE(16), 3, `${arch}: ET_DYN`);
  assert.equal(elf.readUInt16LE(18), arch === 'amd64' ? 62 : 183, `${arch}: e_machine`);
  assert.ok(!programHeaderTypes(elf).includes(PT_INTERP), `${arch}: no program interpreter`);
  assert.ok(!elf.includes(Buffer.from('libc.so')), `${arch}: no DT_NEEDED on libc (it binds the process's own)`);
  assert.ok(elf.includes(Buffer.from(`${defines}\0`)), `${arch}: exports ${defines}`);
  assert.ok(elf.length < 128 * 1024, `${arch}: ${elf.length} bytes`);
}
