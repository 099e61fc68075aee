// A settings file that is not valid, told to the IT person who edits it (src/i18n/configIssues.ts):
// the setting in words and by its key as written in the file, and what is wrong. zh-CN and zh-TW
// have exactly these keys.
import type { Shape } from './shape';
export const configEn = {
  /** A setting the catalog names, with its key as written ("printerPorts.0"). */
  named: '{{name}} ("{{written}}")',
  unnamed: 'the setting "{{written}}"',
  someSetting: 'a setting',
  wholeFile: 'the file as a whole',
  problem: {
    json: 'it is not valid JSON (line {{line}}, column {{column}}).',
    required: '{{setting}} is missing.',
    type: {
      number: '{{setting}} must be a number.',
      string: '{{setting}} must be text in quotes.',
      boolean: '{{setting}} must be true or false.',
      object: '{{setting}} must be a group of settings in braces.',
      array: '{{setting}} must be a list in square brackets.',
    },
    whole: '{{setting}} must be a whole number.',
    min: '{{setting}} must be at least {{limit}}.',
    max: '{{setting}} can be at most {{limit}}.',
    positive: '{{setting}} must be more than 0.',
    notNegative: '{{setting}} cannot be negative.',
    empty: '{{setting}} cannot be empty.',
    emptyList: '{{setting}} cannot be an empty list.',
    tooLong: '{{setting}} can be at most {{limit}} characters.',
    tooMany: '{{setting}} can have at most {{limit}} entries.',
    choice: '{{setting}} is not one of the values it can take.',
    invalid: '{{setting}} is not written correctly.',
    unknownKey: 'this program does not know {{setting}}.',
    otherTerminal: 'its store or terminal is not the one this database belongs to.',
  },
  /** Keys of config.json, and of kiosk.json under kiosk. (dots written as _). */
  setting: {
    storeId: 'the store id',
    terminalId: 'the terminal id',
    tz: 'the time zone',
    printer: 'the printer address',
    lang: 'the language',
    printerPorts: 'the printer ports',
    serialPaths: 'the serial ports',
    scanner: 'the scanner settings',
    scanner_wedge: 'the keyboard scanner settings',
    scanner_wedge_enabled: 'whether the keyboard scanner is on',
    scanner_wedge_maxInterKeyMs: "the scanner's longest gap between keys in milliseconds",
    scanner_wedge_minLength: 'the shortest code length',
    scanner_serial: 'the serial scanner settings',
    scanner_serial_port: "the serial scanner's port",
    scanner_serial_baud: 'the baud rate',
    scanner_camera: 'the camera settings',
    scanner_camera_deviceId: 'the camera',
    kiosk_idleSeconds: 'the seconds without a touch before the kiosk goes back to its start screen',
    kiosk_pageTtlSeconds: "the seconds a member's page is kept",
    kiosk_camera: 'whether the camera viewfinder shows',
    kiosk_maxSlips: 'the slips one visit may print',
    kiosk_slipWaitSeconds: 'the seconds a slip waits for the printer',
  },
} as const;

export type ConfigMessages = Shape<typeof configEn>;
