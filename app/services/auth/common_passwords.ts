/*
 * A small bundled list of passwords that pass the length and letters+digits rules yet
 * are among the first an attacker tries (compiled from public breach-frequency lists).
 * Compared lower-cased.
 */
export const COMMON_PASSWORDS = new Set([
  'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'passw0rd1', 'p4ssw0rd',
  'p@ssw0rd', 'p@ssword1', 'pa55word', 'pa55w0rd', 'password2024', 'password2025', 'password2026',
  'qwerty12', 'qwerty123', 'qwerty1234', 'qwertyui1', 'qwerty1!', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t',
  'q1w2e3r4', 'q1w2e3r4t5', 'zaq12wsx', 'qazwsx123', 'asdf1234', 'asdfgh12', 'zxcvbn12', 'zxcv1234',
  'abc12345', 'abcd1234', 'abc123456', 'abcdef12', 'a1b2c3d4', 'a1234567', 'aa123456', 'abc123abc',
  'admin123', 'admin1234', 'administrator1', 'root1234', 'toor1234', 'changeme1', 'changeme123',
  'welcome1', 'welcome12', 'welcome123', 'letmein1', 'letmein12', 'letmein123', 'iloveyou1',
  'iloveyou2', 'monkey123', 'dragon123', 'master123', 'shadow123', 'sunshine1', 'princess1',
  'football1', 'baseball1', 'superman1', 'batman123', 'trustno1x', 'michael1', 'jennifer1',
  'charlie1', 'freedom1', 'whatever1', 'computer1', 'internet1', 'secret123', 'test1234', 'test12345',
  'testing123', 'user1234', 'guest1234', 'demo1234', 'login123', 'summer2024', 'summer2025',
  'summer2026', 'winter2024', 'winter2025', 'winter2026', 'spring2025', 'autumn2025', 'company1',
  'company123', 'office123', 'voip1234', 'sip12345', 'phone123', 'pbx12345', 'asterisk1',
  'freeswitch1', 'hello123', 'hello1234', 'mypassword1', 'newpassword1', 'default1', 'temp1234',
  'temppass1', '123456abc', '123qwe123', '123abc123', '1234abcd', '12345qwert', '1234qwer',
  '11111111a', 'a11111111', '12345678a', 'a12345678', '87654321a', '1password', '1qazxsw2',
])
