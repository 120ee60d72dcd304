/**
 * Real wsl.exe output that users pasted into public GitHub issues, as text;
 * the tests turn each into the bytes wsl.exe writes (UTF-16LE without a BOM
 * when WSL_UTF8 is not honoured, with one after some redirections, UTF-8 under
 * WSL_UTF8=1). Each entry names its source; the exit codes are the ones the
 * issue shows or, where it shows none, an assumption said so next to it.
 * Pasted text can lose trailing spaces and the exact line endings: CRLF is what
 * wsl.exe writes, so the tests use CRLF.
 */
export interface PublicOutput {
  source: string;
  text: string;
  exit: number;
}

export const PUBLIC_OUTPUTS = {
  // https://github.com/dorssel/usbipd-win/issues/727 (wsl.exe --version, English, Windows 10 22H2)
  versionEn125: {
    source: 'https://github.com/dorssel/usbipd-win/issues/727',
    exit: 0,
    text: [
      'WSL version: 1.2.5.0',
      'Kernel version: 5.15.90.1',
      'WSLg version: 1.0.51',
      'MSRDC version: 1.2.3770',
      'Direct3D version: 1.608.2-61064218',
      'DXCore version: 10.0.25131.1002-220531-1700.rs-onecore-base2-hyp',
      'Windows version: 10.0.19045.3393',
    ].join('\n'),
  },
  // https://github.com/microsoft/WSL/issues/11255 (a comment by mizoru: wsl --version 2.2.4.0, English)
  versionEn224: {
    source: 'https://github.com/microsoft/WSL/issues/11255',
    exit: 0,
    text: [
      'WSL version: 2.2.4.0',
      'Kernel version: 5.15.153.1-2',
      'WSLg version: 1.0.61',
      'MSRDC version: 1.2.5326',
      'Direct3D version: 1.611.1-81528511',
      'DXCore version: 10.0.26091.1-240325-1447.ge-release',
      'Windows version: 10.0.19045.4780',
    ].join('\n'),
  },
  // https://github.com/DesktopECHO/xWSL/issues/33 (wsl --version on an Italian Windows 11: the labels are translated)
  versionIt070: {
    source: 'https://github.com/DesktopECHO/xWSL/issues/33',
    exit: 0,
    text: [
      'Versione WSL: 0.70.0.0',
      'Versione kernel: 5.15.68.1',
      'Versione WSLg: 1.0.45',
      'Versione MSRDC: 1.2.3575',
      'Versione Direct3D: 1.606.4',
      'Versione DXCore: 10.0.25131.1002-220531-1700.rs-onecore-base2-hyp',
      'versione Windows: 10.0.22621.674',
    ].join('\n'),
  },
  // https://github.com/docker/for-win/issues/13445 (the inbox wsl.exe does not know --version; the issue
  // shows no exit code; assumed -1 = 4294967295, what the inbox wsl.exe returns for an unknown option). Help text cut as pasted.
  versionInbox: {
    source: 'https://github.com/docker/for-win/issues/13445',
    exit: 4294967295,
    text: [
      'Invalid command line option: --version',
      'Copyright (c) Microsoft Corporation. All rights reserved.',
      '',
      'Usage: wsl.exe [Argument] [Options...] [CommandLine]',
      '',
      'Arguments for running Linux binaries:',
      '',
      '    If no command line is provided, wsl.exe launches the default shell.',
      '',
      '    --exec, -e <CommandLine>',
      '        Execute the specified command without using the default Linux shell.',
      '',
      '    --',
      '        Pass the remaining command line as is.',
    ].join('\n'),
  },
  // https://github.com/MicrosoftDocs/WSL/issues/571 (`wsl -l` with no distribution at all; no exit code shown;
  // assumed -1, wsl.exe's catch-all). The driver asks `--list --quiet`; that it answers the same on such a machine is also assumed.
  listNoDistros: {
    source: 'https://github.com/MicrosoftDocs/WSL/issues/571',
    exit: 4294967295,
    text: [
      'Windows Subsystem for Linux has no installed distributions.',
      'Distributions can be installed by visiting the Microsoft Store:',
      'https://aka.ms/wslstore',
    ].join('\n'),
  },
  // https://github.com/docker/for-win/issues/14686 (a comment by mcdonnnj: wsl --list --verbose). The STATE
  // column is localized, which is why the driver never asks for this form; the test shows why.
  listVerbose: {
    source: 'https://github.com/docker/for-win/issues/14686',
    exit: 0,
    text: [
      '  NAME              STATE           VERSION',
      '* Ubuntu            Running         2',
      '  Legacy            Stopped         1',
      '  Ubuntu-18.04      Stopped         1',
      '  docker-desktop    Running         2',
    ].join('\n'),
  },
  // https://github.com/microsoft/WSL/issues/12519 (Docker Desktop's log of `wsl.exe --import docker-desktop … --version 2`
  // on a machine without the Virtual Machine Platform: exit code 4294967295, as the log says)
  importHypervOffEn: {
    source: 'https://github.com/microsoft/WSL/issues/12519',
    exit: 4294967295,
    text: [
      'WSL2 is not supported by the current machine configuration.',
      'Enable the optional "Virtual Machine Platform" feature and enable virtualization in the BIOS.',
      'To enable the "Virtual Machine Platform" feature, run wsl.exe --install --no-distribution',
      'For more information, see https://aka.ms/enablevirtualization',
      'Error code: Wsl/Service/RegisterDistro/CreateVm/HCS/HCS_E_HYPERV_NOT_INSTALLED',
    ].join('\n'),
  },
  // https://github.com/sakai135/wsl-vpnkit/issues/207 (`wsl --import … --version 2` on a French Windows whose
  // hypervisor services were not fully installed; the issue shows no exit code; assumed -1, as in the English log above)
  importServiceMissingFr: {
    source: 'https://github.com/sakai135/wsl-vpnkit/issues/207',
    exit: 4294967295,
    text: [
      'Importation en cours. Cette opération peut prendre quelques minutes.',
      "L'opération n'a pas pu être démarrée car une fonctionnalité requise n'est pas installée.",
      'Error code: Wsl/Service/CreateVm/HCS_E_SERVICE_NOT_AVAILABLE',
    ].join('\n'),
  },
  // https://github.com/microsoft/WSL/issues/12564 (Hungarian: a distro disk WSL may not open; exit code not shown, assumed -1)
  accessDeniedHu: {
    source: 'https://github.com/microsoft/WSL/issues/12564',
    exit: 4294967295,
    text: [
      'Nem sikerült csatlakoztatni a(z) \\\\?\\H:\\wsl\\ext4.vhdx lemezt a WSL2-höz: A hozzáférés megtagadva.',
      'Hibakód: Wsl/Service/CreateInstance/MountVhd/HCS/E_ACCESSDENIED',
    ].join('\n'),
  },
  // https://github.com/microsoft/WSL/issues/9362 (Chinese: the same error, most of it not ASCII; exit code not shown, assumed -1)
  accessDeniedZh: {
    source: 'https://github.com/microsoft/WSL/issues/9362',
    exit: 4294967295,
    text: [
      "无法将磁盘'd:\\Dev\\WSL\\Ubuntu-18.04\\ext4.vhdx'附加到 WSL2： 拒绝访问。",
      'Error code: Wsl/Service/CreateInstance/MountVhd/E_ACCESSDENIED',
    ].join('\n'),
  },
} satisfies Record<string, PublicOutput>;

/** The bytes wsl.exe writes for `text`, in each of the three ways it reaches a process. */
export function asWslBytes(text: string, form: 'utf16le' | 'utf16le-bom' | 'utf8'): Buffer {
  const crlf = text.replace(/\r?\n/g, '\r\n') + '\r\n';
  if (form === 'utf8') return Buffer.from(crlf, 'utf8');
  const body = Buffer.from(crlf, 'utf16le');
  return form === 'utf16le-bom' ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}
