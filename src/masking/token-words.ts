/** Word lists that format-preserving tokens draw from. */

/** 100 common given-name characters (tokens of names, and of Chinese characters in free text). */
export const GIVEN_NAME_CHARS: readonly string[] = [...
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红兰飞鹏' +
  '辉建国文斌宇浩凯健俊帆帅旭宁龙林欣婷雪琳晶颖丹倩慧莹佳嘉怡思雨' +
  '晨阳博天子梓涵轩睿哲瑞峰鑫亮成新海波志永春燕梅彬琴云莉玲荣坤昊' +
  '然诗悦彤晓宏振璐'];

/** Common street names (tokens of addresses). */
export const STREET_NAMES: readonly string[] = [
  '人民路', '中山路', '解放路', '建设路', '和平路', '长江路', '黄河路', '新华路', '胜利路', '友谊路',
  '文化路', '青年路', '花园路', '光明路', '团结路', '振兴路', '发展大道', '科技路', '学院路', '滨河路',
];

/** Letters used on plates and in passport serials (no I, no O). */
export const SERIAL_LETTERS: readonly string[] = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
