/** "1:26.1.5+dfsg1-9+deb13u1" -> "26.1.5": what users compare with upstream releases. */
export function upstreamVersion(debianVersion: string): string {
  let v = debianVersion.replace(/^\d+:/, '');
  const dash = v.lastIndexOf('-');
  if (dash > 0) v = v.slice(0, dash);
  return v.replace(/[+~](dfsg|ds)\d*.*$/, '');
}

