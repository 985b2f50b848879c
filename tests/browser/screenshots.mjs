// Screenshots of the main pages of a running tiendo (demo data), for the README and for
// a person to look at: node screenshots.mjs http://127.0.0.1:8080 OUTDIR
import { chromium } from 'playwright-core';

const [base = 'http://127.0.0.1:8080', out = '.'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${base}/login`);
await page.fill('input[name=username]', 'thuky');
await page.fill('input[name=password]', 'tiendo-demo-2024');
await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
const shots = [
  ['overview', '/'],
  ['programme', '/programmes/cdsqg'],
  ['tasks', '/tasks?programme=kh2024'],
  ['indicator', '/indicators/mh2025-hs-toan-trinh'],
  ['agency', '/agencies/yen-bai'],
  ['review', '/review'],
  ['task', '/tasks/kh2024-t03'],
];
for (const [name, path] of shots) {
  await page.goto(`${base}${path}`);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: name === 'indicator' });
}
await browser.close();
