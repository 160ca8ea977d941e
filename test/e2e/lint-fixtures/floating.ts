async function work(): Promise<void> {}

export function caller(): void {
  work();
}

type Phase = 'Running' | 'Succeeded' | 'Failed';
export function label(p: Phase): string {
  switch (p) {
    case 'Running':
      return 'r';
    case 'Succeeded':
      return 's';
  }
  return '';
}
