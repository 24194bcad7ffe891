#!/usr/bin/env python3
"""Generate the demo server's sample cases in assets/demo/.

Writes 02-full-match.json, 03-mismatch-heavy.json, 04-many-redials.json, 06-chinese.json,
07-drifted.json, push-received.json and push-unchanged.json. (05-long-transcript.json comes
from gen_demo_long.py.) Deterministic: run it again and the files come out byte-identical.

    python3 scripts/gen_demo_cases.py
"""

import copy

from demo_common import add, envelope, hex_id, timeline, write


def qa(name, content, qtype, var, answer, answer_text, slot, result, whether, status="Completed"):
    return {
        "question_name": name,
        "answer": answer,
        "answer_text": answer_text,
        "status": status,
        "answer_text_slot": slot,
        "var": var,
        "verification_results": result,
        "question_content": content,
        "question_type": qtype,
        "whether_answer": whether,
    }


def redial(label, start, ring_time, hangup, result, callee, caller, ring_type="normal"):
    return {
        "call_id": hex_id(label),
        "call_start_time": start,
        "ring_type": ring_type,
        "ring_time": ring_time,
        "hangup_type": hangup,
        "result_label": result,
        "callee_number": callee,
        "caller_number": caller,
    }


def talk_rounds(turns):
    return sum(1 for who, _ in turns if who == "C")


# --------------------------------------------------------------------------------------------
# 02 — clean full verification, promise to pay (Philippines, English)
# --------------------------------------------------------------------------------------------

def case_02():
    primary = "+639171234567"
    secondary = "+639189876543"
    caller = "+63288881234"
    start = "2024-05-14 10:17:42"
    turns = [
        ("R", "Good morning, this is Ana, a virtual assistant calling on behalf of PesoNow Lending. "
              "May I speak with Mr. Mark Anthony Villanueva?"),
        ("C", "Yes, speaking. Who is this again?"),
        ("R", "This is Ana from PesoNow Lending. This call may be recorded for quality purposes. "
              "For your security, may I confirm your full name as it appears on your loan account?"),
        ("C", "Mark Anthony Santos Villanueva."),
        ("R", "Thank you. And could you please confirm your date of birth?"),
        ("C", "March 3, 1991."),
        ("R", "Thank you for confirming. I'm calling about your Salary Advance loan. "
              "Can you confirm that the amount you borrowed was 12,500 pesos?"),
        ("C", "Yes, twelve thousand five hundred, that's correct."),
        ("R", "Thank you. The loan was due on May 7, 2024, and your total outstanding balance today "
              "is 15,000 pesos including charges. Are you aware of this balance?"),
        ("C", "Yes, I know. I'm sorry, my salary came in late this month."),
        ("R", "I understand, and thank you for being honest with us. Your account is now 7 days past due. "
              "To avoid additional late charges, when will you be able to settle the balance?"),
        ("C", "My next salary comes in on the 20th."),
        ("R", "May I know how much you can pay on that date?"),
        ("C", "I can pay the full amount. I'll pay 15000 on May 20."),
        ("R", "Thank you. Just to confirm, you will pay 15,000 pesos on May 20, 2024. Is that correct?"),
        ("C", "Yes, that's correct. 15000 on May 20."),
        ("R", "Great. Which payment channel will you use? You can pay through GCash, 7-Eleven, "
              "or a bank transfer."),
        ("C", "GCash, that's the easiest for me."),
        ("R", "Noted. Please use your loan reference number when you pay through GCash. "
              "Would you like us to send the reference number by SMS?"),
        ("C", "Yes please, send it to this number."),
        ("R", "We will send it to this number shortly. Is this still the best number to reach you?"),
        ("C", "Yes, this is my personal number. The other one is my office line."),
        ("R", "Thank you for letting me know. We will send you a reminder one day before your "
              "payment date. Is there anything else I can help you with?"),
        ("C", "Will there be more penalties if I pay on the 20th?"),
        ("R", "If you pay the full 15,000 pesos on or before May 20, no further penalty will be "
              "added to your account."),
        ("C", "Okay, good. Thank you for explaining."),
        ("R", "You're welcome, Mr. Villanueva. Please remember your payment of 15,000 pesos on May 20. "
              "Have a good day."),
        ("C", "You too. Bye."),
        ("R", "Thank you for your time. Goodbye."),
        ("C", "Bye bye."),
    ]
    asr, elapsed = timeline(turns, chars_per_second=15.0)
    end = add(start, int(elapsed) + 2)
    data = {
        "workflow_id": hex_id("demo/02/workflow"),
        "workflow_name": "PH_M1_Collection_EN_May",
        "node_id": hex_id("demo/02/node"),
        "node_name": "Push_PTP_to_CRM",
        "callee": {
            "case_id": "PN-2024-0051873",
            "callee_name": "MARK ANTHONY VILLANUEVA",
            "callee_gender": "male",
            "callee_number": primary,
            "platform_name": "PesoNow",
            "extra_a": "M1",
            "extra_b": "Salary Advance",
            "extra_c": "",
            "extra": [
                {"Content": primary + "," + secondary, "Question": "extend_callees"},
                {"Content": "Makati City", "Question": "city"},
            ],
            "extend": {
                "variables": {
                    "app_name": "PesoNow",
                    "loan_product": "Salary Advance",
                    "reference_no": "PN0051873",
                },
                "detail_source": "api",
                "pds_variables": {},
            },
            "comments": "PN-2024-0051873",
            "borrowed_date": "2024-04-07",
            "due_date": "2024-05-07",
            "borrowed_amount": "12500.00",
            "total_owing_amount": "15000.00",
            "currency_unit": "PHP",
        },
        "custom_attribute": {
            "collector_team": "PH-M1-Robot",
            "bucket": "M1",
            "dpd": "7",
            "crm_lead_id": "CRM-889213",
        },
        "call": {
            "task_id": hex_id("demo/02/task"),
            "call_id": hex_id("demo/02/call"),
            "callee_number": primary,
            "robot_id": "M1_L2_PH_EN_PTP_High",
            "call_start_time": start,
            "call_end_time": end,
            "call_times": 2,
            "ring_type": "normal",
            "hangup_type": "ByCallee",
            "intention": "A",
            "slots": "",
            "ner_slots": {
                "ptp_date": "2024-05-20",
                "ptp_amount": "15000",
                "payment_channel": "GCash",
            },
            "redial_call": [
                redial("demo/02/redial/1", "2024-05-14 09:31:05", 30, "NoAnswer", "F", primary, caller),
            ],
            "talk_round": talk_rounds(turns),
            "ring_time": 6,
            "question_answer": [
                qa("Q1", "Full name verification", "open", "MARK ANTHONY SANTOS VILLANUEVA",
                   "MARK ANTHONY SANTOS VILLANUEVA", "mark anthony santos villanueva",
                   "mark anthony santos villanueva", "Match", "Answered"),
                qa("Q2", "Date of birth", "open", "1991-03-03", "1991-03-03", "march 3 1991",
                   "1991-03-03;03/03/1991", "Match", "Answered"),
                qa("Q3", "Loan amount confirmation", "yesno", "12500", "yes",
                   "yes twelve thousand five hundred that's correct", "yes;12500", "Match", "Answered"),
                qa("Q4", "Promise to pay date", "open", "2024-05-20", "2024-05-20",
                   "i'll pay 15000 on may 20", "2024-05-20;15000", "Match", "Answered"),
            ],
            "multi_label": {
                "A0": "A0",
                "Correct_Person": "identity_correct_person",
                "PTP_Full": "action_item_promise_to_pay_full",
            },
            "intention_description": "Promise to Pay",
            "asr_ptp": "2024-05-20 15000",
            "asr_result": asr,
            "caller_number": caller,
        },
    }
    return data


# --------------------------------------------------------------------------------------------
# 03 — info check, loan applicant verification, mostly mismatches (Mexico, Spanish)
# --------------------------------------------------------------------------------------------

def case_03():
    number = "+525512345678"
    caller = "+525541700220"
    start = "2024-06-03 16:42:09"
    turns = [
        ("R", "Buenas tardes, le llamamos de CrediYa para verificar su solicitud de crédito. "
              "¿Hablo con el señor Luis Fernando Hernández Ortega?"),
        ("C", "Sí, soy yo. ¿Qué pasó?"),
        ("R", "Gracias, señor Hernández. La llamada dura unos minutos y puede ser grabada. "
              "¿Me confirma su nombre completo, por favor?"),
        ("C", "Luis Fernando Hernández Ortega."),
        ("R", "Perfecto. Ahora, ¿me puede decir su CURP?"),
        ("C", "Este… no la tengo a la mano ahorita, está en mi cartera."),
        ("R", "No se preocupe, continuamos. ¿Cuál es su fecha de nacimiento?"),
        ("C", "El doce de agosto de mil novecientos ochenta y nueve."),
        ("R", "Disculpe, ¿me repite el día y el mes?"),
        ("C", "Doce de agosto, del ochenta y nueve."),
        ("R", "Gracias. ¿En qué empresa trabaja actualmente?"),
        ("C", "Ahorita estoy en Logística del Bajío, desde hace dos meses."),
        ("R", "En su solicitud aparece Transportes Ruiz y Asociados. ¿Sigue trabajando ahí?"),
        ("C", "No, ya no, me salí en abril. Se me olvidó cambiarlo en la aplicación."),
        ("R", "Entendido. ¿Cuál es su ingreso mensual aproximado? Puede elegir: menos de diez mil pesos, "
              "de diez mil a veinte mil pesos, o más de veinte mil pesos."),
        ("C", "Pues… entre diez y quince mil, depende de las horas extra."),
        ("R", "Gracias. ¿Me confirma si su ingreso es de diez mil a veinte mil pesos al mes?"),
        ("C", "Sí, más o menos, unos doce mil quinientos."),
        ("R", "¿Cuál es su puesto en la empresa? Por ejemplo: empleado, supervisor o gerente."),
        ("C", "Soy chofer repartidor."),
        ("R", "¿Entonces su puesto es empleado operativo?"),
        ("C", "Sí, operativo, manejo la camioneta."),
        ("R", "Gracias. ¿Actualmente se encuentra trabajando? Responda sí o no."),
        ("C", "Sí, sí estoy trabajando."),
        ("S", ""),
        ("R", "¿Me puede decir el código postal de su domicilio?"),
        ("C", "¿Y eso para qué lo necesitan? Ya lo puse en la solicitud."),
        ("R", "Es solo para confirmar que los datos de su solicitud son correctos. "
              "¿Me indica su código postal?"),
        ("C", "Prefiero no dar eso por teléfono."),
        ("R", "Está bien, no hay problema. En su solicitud registró una referencia personal. "
              "¿Me puede decir el nombre de esa persona?"),
        ("C", "Mmm, puse a mi cuñado, creo… o a mi hermana, no me acuerdo."),
        ("R", "¿Me podría decir el nombre completo de la referencia?"),
        ("S", ""),
        ("R", "¿Sigue en la línea, señor Hernández?"),
        ("C", "Sí, aquí estoy, pero no me acuerdo a quién puse."),
        ("R", "De acuerdo. Por último, ¿para qué va a utilizar el crédito de ocho mil pesos?"),
        ("C", "Para pagar unas deudas y arreglar la camioneta."),
        ("R", "Gracias por su tiempo. Algunos datos no coinciden con su solicitud, por lo que un "
              "asesor revisará su caso y le contactará en un plazo de 24 a 48 horas."),
        ("C", "Ah, ok. ¿Entonces sí me van a dar el préstamo o no?"),
        ("R", "La decisión final la tomará el área de crédito después de la revisión. "
              "Le recomendamos actualizar sus datos de empleo en la aplicación. ¡Que tenga buena tarde!"),
        ("C", "Bueno, gracias."),
        ("R", "Hasta luego."),
    ]
    asr, elapsed = timeline(turns, chars_per_second=14.0)
    end = add(start, int(elapsed) + 1)
    data = {
        "workflow_id": hex_id("demo/03/workflow"),
        "workflow_name": "MX_InfoCheck_Solicitud_Nueva",
        "node_id": hex_id("demo/03/node"),
        "node_name": "Enviar_Verificacion",
        "callee": {
            "case_id": "MX-IC-884120",
            "callee_name": "LUIS FERNANDO HERNANDEZ ORTEGA",
            "callee_gender": "male",
            "callee_number": number,
            "platform_name": "CrediYa",
            "extra_a": "Transportes Ruiz y Asociados",
            "extra_b": "Gerente de ventas",
            "extra_c": "06700",
            "extra": [
                {"Content": number, "Question": "extend_callees"},
                {"Content": "HEOL890821HDFRRS07", "Question": "CURP"},
                {"Content": "Rosa María Hernández", "Question": "reference_contact"},
            ],
            "extend": {
                "variables": {
                    "solicitud_id": "SOL-2024-118830",
                    "producto": "Crédito personal 8000",
                },
                "detail_source": "api",
                "pds_variables": {},
            },
            "comments": "Solicitud nueva, primera verificación",
            "borrowed_date": "2024-06-03",
            "due_date": "2024-07-03",
            "borrowed_amount": "8000.00",
            "total_owing_amount": "8960.00",
            "currency_unit": "MXN",
        },
        "custom_attribute": {
            "canal": "app_android",
            "score_riesgo": "612",
            "sucursal": "CDMX-Norte",
        },
        "call": {
            "task_id": hex_id("demo/03/task"),
            "call_id": hex_id("demo/03/call"),
            "callee_number": number,
            "robot_id": "IC_MX_ES_Verificacion_v3",
            "call_start_time": start,
            "call_end_time": end,
            "call_times": 1,
            "ring_type": "normal",
            "hangup_type": "ByRobot",
            "intention": "D",
            "slots": "",
            "ner_slots": {
                "empresa_actual": "Logística del Bajío",
                "ingreso_mensual": "12500",
                "puesto": "chofer repartidor",
            },
            "redial_call": [],
            "talk_round": talk_rounds(turns),
            "ring_time": 11,
            "question_answer": [
                qa("Q1", "Full name verification", "open", "LUIS FERNANDO HERNANDEZ ORTEGA",
                   "LUIS FERNANDO HERNANDEZ ORTEGA", "luis fernando hernández ortega",
                   "luis fernando hernandez ortega", "Match", "Answered"),
                qa("Q2", "Date of birth", "open", "1989-08-21", "1989-08-12",
                   "el doce de agosto de mil novecientos ochenta y nueve", "1989-08-12;12/08/1989",
                   "Mismatch", "Answered"),
                qa("Q3", "Company name verification", "open", "Transportes Ruiz y Asociados",
                   "Logística del Bajío", "ahorita estoy en logística del bajío desde hace dos meses",
                   "logistica del bajio", "Mismatch", "Answered"),
                qa("Q4", "Monthly income", "choice", "20000-30000", "10000-20000",
                   "sí más o menos unos doce mil quinientos", "10000-20000;12500", "Partial",
                   "Answered"),
                qa("Q5", "Job position", "choice", "Gerente", "Empleado operativo",
                   "sí operativo manejo la camioneta", "empleado;operativo", "Mismatch", "Answered"),
                qa("Q6", "Currently employed", "yesno", "yes", "yes", "sí sí estoy trabajando", "yes",
                   "Match", "Answered"),
                qa("Q7", "Home postal code", "open", "06700", "", "prefiero no dar eso por teléfono",
                   "", "", "NotAnswered", status="Skipped"),
                qa("Q8", "Reference contact name", "open", "Rosa María Hernández", "",
                   "", "", "Mismatch", "NotAnswered", status="Timeout"),
            ],
            "multi_label": {
                "Correct_Person": "identity_correct_person",
                "Job_Changed": "info_employer_changed",
                "Refused_Info": "info_refused_partial",
            },
            "intention_description": "Datos no coinciden - revisión manual",
            "asr_ptp": "",
            "asr_result": asr,
            "caller_number": caller,
        },
    }
    return data


# --------------------------------------------------------------------------------------------
# 04 — 14 redials over a day between two numbers, short final call (Indonesia, Indonesian)
# --------------------------------------------------------------------------------------------

def case_04():
    a = "+6281234567890"
    b = "+6285712345678"
    never = "+6281398765432"
    caller = "+622150996677"
    # (time, ring_time, hangup_type, result_label); numbers alternate a, b, a, b, ...
    attempts = [
        ("2024-07-09 08:02:14", 30, "NoAnswer", "F"),
        ("2024-07-09 08:04:51", 0, "Busy", "G"),
        ("2024-07-09 08:47:30", 30, "NoAnswer", "F"),
        ("2024-07-09 08:50:02", 7, "ByCallee", "F"),
        ("2024-07-09 09:58:40", 0, "Busy", "G"),
        ("2024-07-09 10:01:17", 30, "NoAnswer", "F"),
        ("2024-07-09 11:33:05", 12, "ByCallee", "F"),
        ("2024-07-09 11:36:44", 2, "Busy", "G"),
        ("2024-07-09 13:10:21", 9, "ByRobot", "E"),
        ("2024-07-09 13:14:58", 30, "NoAnswer", "F"),
        ("2024-07-09 14:45:12", 0, "Busy", "G"),
        ("2024-07-09 15:20:39", 25, "ByCallee", "F"),
        ("2024-07-09 16:58:03", 4, "ByRobot", "E"),
        ("2024-07-09 17:02:47", 30, "NoAnswer", "F"),
    ]
    redials = []
    for i, (when, ring, hangup, label) in enumerate(attempts):
        callee = a if i % 2 == 0 else b
        redials.append(redial("demo/04/redial/%d" % (i + 1), when, ring, hangup, label, callee, caller))
    start = "2024-07-09 18:31:26"
    turns = [
        ("R", "Halo, selamat sore. Apakah benar ini dengan Bapak Andi Saputra?"),
        ("C", "Iya, betul. Dari mana ini?"),
        ("R", "Saya asisten virtual dari DanaCepat. Tagihan Bapak sebesar 2.350.000 rupiah "
              "sudah lewat jatuh tempo 5 hari."),
        ("C", "Iya saya tahu, saya lagi di jalan."),
        ("R", "Kapan Bapak bisa melakukan pembayaran?"),
        ("C", "Nanti saja ya, saya telepon balik besok."),
        ("R", "Baik Pak, kami akan menghubungi Bapak kembali besok. Terima kasih."),
    ]
    asr, elapsed = timeline(turns, chars_per_second=15.0)
    end = add(start, max(40, int(elapsed) + 1))
    data = {
        "workflow_id": hex_id("demo/04/workflow"),
        "workflow_name": "ID_DPD1-7_Reminder_Juli",
        "node_id": hex_id("demo/04/node"),
        "node_name": "API_Hasil_Panggilan",
        "callee": {
            "case_id": "ID-77120954",
            "callee_name": "ANDI SAPUTRA",
            "callee_gender": "male",
            "callee_number": a,
            "platform_name": "DanaCepat",
            "extra_a": "",
            "extra_b": "",
            "extra_c": "",
            "extra": [
                {"Content": a + "," + b + "," + never, "Question": "extend_callees"},
            ],
            "extend": {
                "variables": {"dpd": "5"},
                "detail_source": "web",
                "pds_variables": {},
            },
            "comments": "",
            "borrowed_date": "2024-06-04",
            "due_date": "2024-07-04",
            "borrowed_amount": "2000000.00",
            "total_owing_amount": "2350000.00",
            "currency_unit": "IDR",
        },
        "custom_attribute": {
            "bucket": "DPD1-7",
            "strategy": "alternate_numbers",
        },
        "call": {
            "task_id": hex_id("demo/04/task"),
            "call_id": hex_id("demo/04/call"),
            "callee_number": a,
            "robot_id": "ID_ID_Reminder_S1",
            "call_start_time": start,
            "call_end_time": end,
            "call_times": 15,
            "ring_type": "normal",
            "hangup_type": "ByCallee",
            "intention": "E",
            "slots": "",
            "ner_slots": {
                "callback_time": "besok",
            },
            "redial_call": redials,
            "talk_round": talk_rounds(turns),
            "ring_time": 14,
            "question_answer": [],
            "multi_label": {
                "Correct_Person": "identity_correct_person",
                "Callback": "action_item_callback_later",
            },
            "intention_description": "Needs Follow Up",
            "asr_ptp": "",
            "asr_result": asr,
            "caller_number": caller,
        },
    }
    return data


# --------------------------------------------------------------------------------------------
# 06 — Chinese call
# --------------------------------------------------------------------------------------------

LONG_CHINESE = (
    "我跟你说我这个月真的是太难了公司拖欠了我们两个月的工资到现在还没发下来"
    "老板说要等项目款回来才能发我家里还有老人要看病孩子下个月又要交学费房租也已经拖了半个月"
    "房东天天打电话催我我不是不想还这个钱当初借的时候我就想着下个月发了工资就能还上"
    "谁知道会变成这样你们能不能跟上面说一下让我先还一部分剩下的下个月再还我保证不会跑的"
    "我的身份证手机号都在你们那里我也跑不了我只是现在手头确实没有那么多钱你们天天打电话"
    "我上班的时候也不方便接领导看到了还以为我出了什么事我真的希望你们能理解一下我的情况"
    "给我一点时间我一定会想办法把钱还上的你们之前打电话的那个人态度特别不好一上来就说要联系我的家人和同事"
    "我希望你们以后不要再这样了"
)


def case_06():
    number = "+8613812345678"
    caller = "+862150001234"
    start = "2024-05-28 14:05:33"
    assert len(LONG_CHINESE) >= 300, len(LONG_CHINESE)
    turns = [
        ("R", "您好，请问是张伟先生吗？"),
        ("C", "是我，哪位？"),
        ("R", "张先生您好，我是安心借的智能客服，来电是提醒您的借款已经逾期了。为了核实身份，请问您的身份证后四位是多少？"),
        ("C", "三二一八。"),
        ("R", "好的，身份核实通过。您在四月二十八日借款一万元，应还款日是五月十六日，目前逾期十二天，应还总额是一万零八百六十元。"),
        ("C", "嗯，我知道，我最近手头有点紧。"),
        ("R", "理解您的情况。请问您今天能处理这笔欠款吗？"),
        ("C", LONG_CHINESE),
        ("R", "非常理解您的难处。请问您最近能先还多少呢？"),
        ("C", "六月五号我先还两千吧。"),
        ("R", "好的，跟您确认一下，您将在六月五日先还款两千元，对吗？"),
        ("C", "对，两千，六月五号。"),
        ("R", "剩余的八千八百六十元，您预计什么时候可以还清？"),
        ("C", "下个月十五号发工资以后吧，到时候我尽量一次还清。"),
        ("R", "好的，我们会把您的情况记录下来。逾期会持续产生罚息，建议您尽早还款。"),
        ("C", "我知道了，我会尽快的。"),
        ("S", ""),
        ("R", "请问您还款的时候是用支付宝还是银行卡？"),
        ("C", "支付宝吧，方便一点。"),
        ("R", "好的，您可以在安心借App的还款页面选择支付宝还款，到账后系统会自动更新。"),
        ("C", "好的好的👌"),
        ("R", "我们会在六月四日给您发送短信提醒。请问这个号码是您本人一直在用的吗？"),
        ("C", "是的，一直用这个。"),
        ("R", "好的，感谢您的配合，请记得六月五日还款两千元。祝您生活愉快，再见。"),
        ("C", "好，再见。"),
    ]
    asr, elapsed = timeline(turns, chars_per_second=5.0)
    end = add(start, int(elapsed) + 2)
    data = {
        "workflow_id": hex_id("demo/06/workflow"),
        "workflow_name": "华东_M1_催收_五月",
        "node_id": hex_id("demo/06/node"),
        "node_name": "推送结果到CRM",
        "callee": {
            "case_id": "CN20240528001",
            "callee_name": "张伟",
            "callee_gender": "男",
            "callee_number": number,
            "platform_name": "安心借",
            "extra_a": "上海",
            "extra_b": "",
            "extra_c": "",
            "extra": [
                {"Content": number, "Question": "extend_callees"},
                {"Content": "李娜（配偶）", "Question": "紧急联系人"},
            ],
            "extend": {
                "variables": {
                    "产品名称": "安心借-随借随还",
                    "身份证后四位": "3218",
                },
                "detail_source": "api",
                "pds_variables": {},
            },
            "comments": "客户表示工资拖欠",
            "borrowed_date": "2024-04-28",
            "due_date": "2024-05-16",
            "borrowed_amount": "10000.00",
            "total_owing_amount": "10860.00",
            "currency_unit": "CNY",
        },
        "custom_attribute": {
            "催收阶段": "M1",
            "逾期天数": "12",
            "所属团队": "华东二组",
            "备注": "优先跟进",
        },
        "call": {
            "task_id": hex_id("demo/06/task"),
            "call_id": hex_id("demo/06/call"),
            "callee_number": number,
            "robot_id": "CN_M1_催收_标准版",
            "call_start_time": start,
            "call_end_time": end,
            "call_times": 1,
            "ring_type": "normal",
            "hangup_type": "ByRobot",
            "intention": "B",
            "slots": "",
            "ner_slots": {
                "还款日期": "2024-06-05",
                "还款金额": "2000",
                "还款方式": "支付宝",
            },
            "redial_call": [],
            "talk_round": talk_rounds(turns),
            "ring_time": 5,
            "question_answer": [
                qa("Q1", "身份核实（身份证后四位）", "open", "3218", "3218", "三二一八", "3218",
                   "Match", "Answered"),
                qa("Q2", "是否知晓逾期", "yesno", "是", "是", "嗯我知道我最近手头有点紧", "是",
                   "Match", "Answered"),
                qa("Q3", "还款日期", "open", "", "2024-06-05", "六月五号我先还两千吧",
                   "2024-06-05", "Match", "Answered"),
                qa("Q4", "还款金额", "open", "10860", "2000", "对两千六月五号", "2000",
                   "Mismatch", "Answered"),
            ],
            "multi_label": {
                "A0": "A0",
                "本人接听": "identity_correct_person",
                "部分还款": "action_item_partial_payment",
            },
            "intention_description": "承诺部分还款",
            "asr_ptp": "2024-06-05 2000",
            "asr_result": asr,
            "caller_number": caller,
        },
    }
    return data


# --------------------------------------------------------------------------------------------
# 07 — drifted types, as real pushes arrive (US lead generation, English)
# --------------------------------------------------------------------------------------------

def case_07():
    number = "+13125550187"
    caller = "+13125550100"
    start = "2024-08-19 11:26:48"
    turns = [
        ("R", "Hi, this is Sam from ClearPath Debt Relief. Am I speaking with Jessica Moore?"),
        ("C", "Yeah, this is Jessica."),
        ("R", "Thanks, Jessica. You recently asked about options to consolidate your credit card debt. "
              "Do you have a minute?"),
        ("C", "Sure, a quick one."),
        ("R", "Roughly how much unsecured debt do you have right now?"),
        ("C", "About fifteen thousand, across three cards."),
        ("R", "Are you currently behind on any of those payments?"),
        ("C", "One of them, a couple of months."),
        ("R", "Got it. Would you like a debt specialist to call you back today to go over a plan?"),
        ("C", "Yes, after 3 pm works."),
        ("R", "Perfect. A specialist will call you after 3 pm today. Thanks, Jessica!"),
    ]
    asr, _ = timeline(turns, chars_per_second=15.0)
    asr.insert(6, None)
    asr[3]["confidence"] = 0.93
    data = {
        "workflow_id": hex_id("demo/07/workflow"),
        "workflow_name": "US_LeadGen_DebtConsolidation_Warm",
        "node_id": hex_id("demo/07/node"),
        "node_name": "Push_Lead",
        "callee": {
            "case_id": 778812,
            "callee_name": "JESSICA MOORE",
            "callee_gender": "",
            "callee_number": number,
            "platform_name": "ClearPath",
            "extra_a": "",
            "extra_b": "",
            "extra_c": "",
            "extend": "",
            "comments": 778812,
            "borrowed_date": "",
            "due_date": "",
            "borrowed_amount": "__RAW__15000.50__",
            "total_owing_amount": "15000.50",
            "currency_unit": "USD",
        },
        "custom_attribute": "",
        "call": {
            "task_id": hex_id("demo/07/task"),
            "call_id": hex_id("demo/07/call"),
            "callee_number": number,
            "robot_id": "LG_US_EN_DebtRelief_Warm",
            "call_start_time": start,
            "call_times": "3",
            "ring_type": "normal",
            "hangup_type": "ByRobot",
            "intention": "A",
            "slots": None,
            "ner_slots": "",
            "redial_call": None,
            "talk_round": str(talk_rounds(turns)),
            "ring_time": "12",
            "question_answer": [
                qa("Q1", "Total unsecured debt", "open", "", "15000", "about fifteen thousand across three cards",
                   "15000", "Match", "Answered"),
                {
                    "question_name": None,
                    "answer": None,
                    "answer_text": None,
                    "status": None,
                    "answer_text_slot": None,
                    "var": None,
                    "verification_results": None,
                    "question_content": None,
                    "question_type": None,
                    "whether_answer": None,
                },
                qa("Q3", "Callback requested", "yesno", "", "yes", "yes after 3 pm works", "yes;15:00",
                   "Match", "Answered"),
            ],
            "multi_label": ["A0", "B1"],
            "intention_description": "Qualified Lead - Callback",
            "asr_ptp": "",
            "asr_result": asr,
            "caller_number": caller,
            "sip_code": 486,
        },
        "trace_id": "7f3c2a91-5e0b-4d6e-9b1a-c4d8e2f60a17",
    }
    return data


def main():
    d02 = case_02()
    write("02-full-match.json", envelope(d02))
    write("03-mismatch-heavy.json", envelope(case_03()))
    write("04-many-redials.json", envelope(case_04()))
    write("06-chinese.json", envelope(case_06()))
    write("07-drifted.json", envelope(case_07()))

    write("push-unchanged.json", copy.deepcopy(d02))
    received = copy.deepcopy(d02)
    received["call"]["intention"] = "B"
    received["call"]["call_times"] = str(received["call"]["call_times"])
    write("push-received.json", received)


if __name__ == "__main__":
    main()
